import { API_VERSION, EVENT_NAMES } from '@whatisup/core';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('the OpenAPI document', () => {
  let subject: TestApp<{ sessions: true }>;
  afterEach(async () => subject.close());

  async function document() {
    subject = await buildTestApp({ sessions: true });
    return (await subject.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  }

  it('declares /v1/events as a text/event-stream, with JSON errors', async () => {
    const stream = (await document()).paths['/v1/events'].get;
    expect(Object.keys(stream.responses['200'].content)).toEqual(['text/event-stream']);
    expect(Object.keys(stream.responses['401'].content)).toEqual(['application/json']);
    expect(stream.responses['429']).toBeDefined();
  });

  it('lists the data of every event as a component, typed by event name', async () => {
    const { schemas } = (await document()).components;
    for (const name of EVENT_NAMES) expect(schemas[`EventData.${name}`], name).toMatchObject({});
    expect(schemas['EventData.message.failed'].properties.error.required).toEqual(['code', 'message']);
    expect(schemas['EventData.qr.updated'].required).toEqual(['qr', 'png_data_url']);
  });

  it('declares /pair as an HTML page whose refusals are pages too', async () => {
    const pair = (await document()).paths['/pair'].get;
    expect(Object.keys(pair.responses['200'].content)).toEqual(['text/html']);
    expect(Object.keys(pair.responses['401'].content)).toEqual(['text/html']);
    expect(pair.responses['400']).toBeUndefined();
  });

  it('versions the document as the events are versioned (api_version), the server build apart', async () => {
    const { info } = await document();
    expect(API_VERSION).toBe('2026-04');
    expect(info.version).toBe(API_VERSION);
    expect(info['x-server-version']).toBe('0.0.0-test');
  });

  it('answers /pair with a page, not a JSON 400, whatever its query holds', async () => {
    subject = await buildTestApp({ sessions: true });
    for (const query of ['?token=a&token=b', `?token=${'x'.repeat(3000)}`, '?token=wiuevt_x.y&fbclid=abc']) {
      const response = await subject.app.inject({ method: 'GET', url: `/pair${query}` });
      expect(response.statusCode, query).toBe(401);
      expect(response.headers['content-type'], query).toBe('text/html; charset=utf-8');
    }
  });
});
