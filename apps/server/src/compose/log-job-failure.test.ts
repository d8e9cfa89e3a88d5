import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logJobFailure } from './log-job-failure.js';

describe('logJobFailure', () => {
  it('says a failing job at warn once, at debug while it is retried, and at error when its retries are spent', () => {
    const lines: Array<{ level: number; delivery_id: string; attempt: number }> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const error = new Error('Postgres is down');
    for (const [attempt, willRetry] of [[1, true], [2, true], [3, true], [4, false]] as const) {
      logJobFailure(logger, { error, job: { id: 'dlv_1', data: {}, attempt }, willRetry, ids: { delivery_id: 'dlv_1' } }, 'delivery job failed unexpectedly');
    }
    expect(lines.map((line) => [line.attempt, line.level])).toEqual([[1, 40], [2, 20], [3, 20], [4, 50]]);
    expect(lines.every((line) => line.delivery_id === 'dlv_1')).toBe(true);
  });
});
