import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { embeddedPostgresLogger } from './embedded-postgres-log.js';

function capture() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { lines, logger: embeddedPostgresLogger(pino({ level: 'debug' }, stream)) };
}

describe('the embedded PostgreSQL log', () => {
  it('keeps real warnings and errors at warn', () => {
    const { lines, logger } = capture();
    logger.warn('postgres: 2026-05-01 12:00:00.000 UTC [42] FATAL:  could not open file "global/pg_filenode.map"');
    logger.warn('Stopping an orphaned embedded PostgreSQL server (pid 42) left by an earlier crash');
    expect(lines.map((line) => line.level)).toEqual([40, 40]);
  });

  it("turns the refusals of the server's own readiness probe while it starts into debug lines", () => {
    const { lines, logger } = capture();
    logger.warn('postgres: 2026-05-01 12:00:00.000 UTC [42] FATAL:  the database system is starting up');
    logger.info('postgres: database system is ready to accept connections');
    expect(lines.map((line) => line.level)).toEqual([20, 20]);
  });
});
