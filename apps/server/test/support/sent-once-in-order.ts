/*
 * What the multi-node tests check about the outbox once the dust settles: every accepted message left it
 * with exactly one `sent` in its trail, and each instance's messages went out in the order they were
 * accepted (their `seq`), whichever nodes staged them and whichever node sent them.
 */
import { until } from '@whatisup/test-infra';
import { expect } from 'vitest';
import { queryDatabase } from './query-database.js';

export async function expectEachSentOnceInOrder(databaseUrl: string, accepted: readonly string[], instanceIds: readonly string[]): Promise<void> {
  expect(accepted.length).toBeGreaterThan(20);

  let queued = -1;
  await until(
    async () => {
      const rows = await queryDatabase<{ n: string }>(databaseUrl, `SELECT count(*) AS n FROM messages WHERE status = 'queued'`);
      queued = Number(rows[0]!.n);
      return queued === 0;
    },
    { timeoutMs: 60_000, intervalMs: 200, message: () => `${queued} messages still queued` },
  );
  const trails = await queryDatabase<{ id: string; instance_id: string; seq: number; sent: number; first_sent: string }>(
    databaseUrl,
    `SELECT m.id, m.instance_id, m.seq::int AS seq,
            count(h.*) FILTER (WHERE h.status = 'sent')::int AS sent,
            min(h.id) FILTER (WHERE h.status = 'sent')::text AS first_sent
       FROM messages m LEFT JOIN message_status_history h ON h.message_id = m.id
      WHERE m.id = ANY($1)
      GROUP BY m.id`,
    [[...accepted]],
  );
  expect(trails.map((row) => row.id).sort()).toEqual([...new Set(accepted)].sort());
  expect(trails.filter((row) => row.sent !== 1)).toEqual([]);
  for (const instanceId of instanceIds) {
    const mine = trails.filter((row) => row.instance_id === instanceId);
    const bySent = [...mine].sort((a, b) => Number(a.first_sent) - Number(b.first_sent)).map((row) => row.seq);
    expect(bySent, instanceId).toEqual([...mine].map((row) => row.seq).sort((a, b) => a - b));
  }
}
