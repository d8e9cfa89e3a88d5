import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

/** Sends `raw` bytes on a fresh connection and resolves with everything the server wrote before closing. */
function sendRaw(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received));
    socket.on('error', (error) => (received === '' ? reject(error) : resolve(received)));
  });
}

function parse(response: string) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as { error: { code: string; message: string }; request_id: string } };
}

describe('requests the HTTP parser refuses', () => {
  let subject: TestApp;
  let port: number;
  afterEach(async () => subject.app.close());

  async function start() {
    subject = await buildTestApp();
    await subject.app.listen({ port: 0, host: '127.0.0.1' });
    port = (subject.app.server.address() as { port: number }).port;
  }

  it('answers oversized headers with 431 in the envelope, with a request id', async () => {
    await start();
    const response = parse(await sendRaw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(response.status).toBe(431);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.message).toContain('16 KiB');
    expect(response.body.request_id).toMatch(/^req_/);
    expect(response.headers['x-request-id']).toBe(response.body.request_id);
  });

  it('answers a malformed header line with 400 in the envelope', async () => {
    await start();
    const response = parse(await sendRaw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid_request' }, request_id: expect.stringMatching(/^req_/) });
  });
});
