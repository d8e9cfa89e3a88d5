import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withLogContext } from './log-context.js';
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

describe('the log context', () => {
  it('adds the ids of the work in progress to every line written meanwhile, by any logger', async () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'info' }, out.stream);
    const child = logger.child({ component: 'webhooks' });
    await withLogContext({ delivery_id: 'dlv_1' }, async () => {
      await Promise.resolve();
      withLogContext({ customer_id: 'cust_1' }, () => child.warn({ outcome: 'failed' }, 'inside'));
    });
    logger.info('outside');
    await flushed(logger);
    const [inside, outside] = out.text().trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ msg: 'inside', delivery_id: 'dlv_1', customer_id: 'cust_1', component: 'webhooks', outcome: 'failed' });
    expect(outside).not.toHaveProperty('delivery_id');
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
