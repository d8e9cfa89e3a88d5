import { RedisUnavailableError } from '@whatisup/queue-bullmq';
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

  it('says a job that failed because Redis is unavailable at debug only, at its first attempt as at its last', () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const error = new RedisUnavailableError("Redis is unreachable (an enqueue): Stream isn't writeable");
    for (const [attempt, willRetry] of [[1, true], [4, false]] as const) {
      logJobFailure(logger, { error, job: { id: 'outbox:inst_1', data: {}, attempt }, willRetry, ids: { instance_id: 'inst_1' } }, 'outbox job failed unexpectedly');
    }
    expect(lines.map((line) => line.level)).toEqual([20, 20]);
    expect(lines[0]!.msg).toBe('outbox job failed unexpectedly: Redis is unavailable, the sweeper wakes it again');
  });
});
