import { afterEach, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/plugins/json-bodies.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

const nested = (levels: number): string => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

describe('JSON nesting depth', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  async function createInstanceWithMetadata(metadataJson: string) {
    const { auth } = await subject.newCustomer();
    return subject.app.inject({
      method: 'POST',
      url: '/v1/instances',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: `{"name":"deep","metadata":${metadataJson}}`,
    });
  }

  it('answers a body nested 10,000 levels (about 20 KB) with 400 invalid_input in the envelope', async () => {
    subject = await buildTestApp();
    const response = await createInstanceWithMetadata(nested(10_000));
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toContain(`${MAX_JSON_DEPTH} levels`);
    expect(body.error.details.issues).toEqual([{ in: 'body', path: '', message: expect.any(String) }]);
    expect(body.request_id).toMatch(/^req_/);
  });

  it('answers one level past the limit with 400, and accepts the limit itself', async () => {
    subject = await buildTestApp();
    // The body's own object is one level, so the metadata may nest one less.
    expect((await createInstanceWithMetadata(nested(MAX_JSON_DEPTH))).statusCode).toBe(400);
    expect((await createInstanceWithMetadata(nested(MAX_JSON_DEPTH - 1))).statusCode).toBe(201);
  });

  it('does not count brackets inside strings', async () => {
    subject = await buildTestApp();
    const response = await createInstanceWithMetadata(JSON.stringify({ note: '[[[{{{'.repeat(100), quote: '\\"[' }));
    expect(response.statusCode).toBe(201);
  });
});
