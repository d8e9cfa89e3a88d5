import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DISCARDED_BODY_BYTES } from '../src/plugins/error-handling.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Writes `writes` one after another on one connection (each after the previous was flushed), and resolves
 * with the responses parsed from what the server sent until it closed or `expected` responses arrived, and
 * with the first write error, if any.
 */
function exchange(port: number, writes: readonly (string | Buffer)[], expected: number): Promise<{ responses: RawResponse[]; writeError: string | null }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const responses: RawResponse[] = [];
    let writeError: string | null = null;
    const done = () => {
      socket.destroy();
      resolve({ responses, writeError });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        if (received.length < end + 4 + length) return;
        responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: received.subarray(end + 4, end + 4 + length).toString('utf8') });
        received = received.subarray(end + 4 + length);
        if (responses.length === expected) return done();
      }
    });
    socket.on('close', done);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      writeError ??= error.code ?? error.message;
    });
    const writeNext = (index: number) => {
      if (index < writes.length && !socket.destroyed) socket.write(writes[index]!, (error) => (error ? undefined : writeNext(index + 1)));
    };
    socket.once('connect', () => writeNext(0));
  });
}

describe('a request body over the limit', () => {
  let subject: TestApp;
  let port: number;
  let authorization: string;
  afterEach(async () => subject.app.close());

  async function start() {
    subject = await buildTestApp({ bodyLimitBytes: 2048 });
    authorization = (await subject.newCustomer()).auth['authorization']!;
    await subject.app.listen({ port: 0, host: '127.0.0.1' });
    port = (subject.app.server.address() as { port: number }).port;
  }

  const head = (length: number) =>
    `POST /v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it('is read to its end and answered 413, and the connection takes the next request', async () => {
    await start();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = Array.from({ length: 16 }, () => chunk);
    const { responses, writeError } = await exchange(port, [head(16 * chunk.length), ...chunks, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], 2);

    expect(writeError, 'every byte of the body was taken').toBeNull();
    expect(responses.map((response) => response.status)).toEqual([413, 200]);
    expect(JSON.parse(responses[0]!.body)).toMatchObject({ error: { code: 'payload_too_large', details: { limit_bytes: 2048 } } });
    expect(responses[0]!.headers['connection']).not.toBe('close');
  });

  it('is answered at once, closing the connection, when it says it is larger than the server reads to throw away', async () => {
    await start();
    // Only the head is sent: the answer cannot be waiting for the body.
    const { responses } = await exchange(port, [head(MAX_DISCARDED_BODY_BYTES + 1)], 1);
    expect(responses.map((response) => response.status)).toEqual([413]);
    expect(responses[0]!.headers['connection']).toBe('close');
  });
});
