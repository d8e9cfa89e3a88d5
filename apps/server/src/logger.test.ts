import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from './logger.js';

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const flushed = (logger: { flush(cb: (error?: Error) => void): void }) =>
  new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));

describe('createLogger', () => {
  it('writes JSON lines by default', async () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'info' }, out.stream);
    logger.info({ request_id: 'req_1' }, 'hello');
    await flushed(logger);
    expect(JSON.parse(out.text())).toMatchObject({ msg: 'hello', request_id: 'req_1', service: 'whatisup' });
  });

  it('prints one readable line per entry when pretty, with its fields and secrets redacted', async () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'info' }, out.stream, { pretty: true });
    logger.info(
      { method: 'GET', url: '/v1/instances', status: 200, duration_ms: 3.2, request_id: 'req_1', authorization: 'Bearer wiu_x' },
      'GET /v1/instances 200 3.2ms',
    );
    await flushed(logger);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/INFO.*GET \/v1\/instances 200 3\.2ms.*request_id.*req_1/);
    expect(lines[0]).not.toContain('"level"');
    expect(lines[0]).not.toContain('wiu_x');
  });
});

describe('wantsPrettyLogs', () => {
  it('is pretty only in a terminal outside production', () => {
    expect(wantsPrettyLogs('development', { isTTY: true })).toBe(true);
    expect(wantsPrettyLogs('test', { isTTY: true })).toBe(true);
    expect(wantsPrettyLogs('production', { isTTY: true })).toBe(false);
    expect(wantsPrettyLogs('development', { isTTY: false })).toBe(false);
    expect(wantsPrettyLogs('development', {})).toBe(false);
  });
});
