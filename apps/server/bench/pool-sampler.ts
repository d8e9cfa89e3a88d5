/*
 * Whether requests wait for a Postgres connection: samples the server's own pool gauges from `/metrics`
 * (`whatisup_db_pool_waiting`, `whatisup_db_pool_connections{state="in_use"}`) every `everyMs` while a phase
 * runs. A scrape costs the server a little work, so sample sparsely.
 */
import type { BenchClient } from './bench-client.js';

export interface PoolSample {
  readonly samples: number;
  /** Mean and largest number of queries waiting for a connection. */
  readonly meanWaiting: number;
  readonly maxWaiting: number;
  /** Mean connections lent out, and mean connections open (lent out or idle; at most DATABASE_POOL_SIZE). */
  readonly meanInUse: number;
  readonly meanOpen: number;
}

/** A sample's value from a `/metrics` text (`name` as a regular expression, labels included), or NaN when absent. */
export const gauge = (text: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

export function samplePool(client: BenchClient, everyMs = 250): { stop(): Promise<PoolSample> } {
  const waiting: number[] = [];
  const inUse: number[] = [];
  const open: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const response = await client.call<string>('GET', '/metrics').catch(() => null);
      if (response !== null && typeof response.body === 'string') {
        waiting.push(gauge(response.body, 'whatisup_db_pool_waiting'));
        const lent = gauge(response.body, 'whatisup_db_pool_connections\\{state="in_use"\\}');
        inUse.push(lent);
        open.push(lent + gauge(response.body, 'whatisup_db_pool_connections\\{state="idle"\\}'));
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  const mean = (values: number[]) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
  return {
    async stop() {
      running = false;
      await loop;
      return { samples: waiting.length, meanWaiting: mean(waiting), maxWaiting: Math.max(...waiting), meanInUse: mean(inUse), meanOpen: mean(open) };
    },
  };
}

export const formatPool = (p: PoolSample): string =>
  `${p.meanWaiting.toFixed(1)} waiting (max ${p.maxWaiting}), ${p.meanInUse.toFixed(1)} of ${p.meanOpen.toFixed(1)} open in use (${p.samples} samples)`;
