/*
 * What one run of the benchmark measures and against which servers. Counts are fixed per mode, so two runs
 * of the same mode are comparable; `--quick` is a smoke run that finishes in well under a minute.
 * By default the server is built first (as `pnpm start` does) and its dist is measured.
 * `BENCH_SET_<VARIABLE>=value` overrides one setting of the server under test (e.g.
 * BENCH_SET_WEBHOOK_MAX_PER_HOST=32), to compare configurations; the report lists the settings used.
 *
 * `--scenario data-10m [--rows N]` runs the data-volume scenario instead (run-data-scenario.ts): N delivery
 * rows seeded with generate_series (default 100,000; 20,000 with --quick), then list/filter latencies,
 * the sweeper's and retention's plans and costs, and table and index sizes.
 *
 * `--scenario failover` runs two nodes over 1,000 sandbox instances (100 with --quick): RSS per 1,000 sessions,
 * and the time for a killed node's instances to be connected again on the other (failover/).
 *
 * `--scenario soak [--minutes N]` sends at half the calibrated end-to-end rate for N minutes (default 10; 1
 * with --quick) and reports, per window, RSS, Postgres size, Redis memory and latency (soak/).
 */
export type BenchScenario = 'default' | 'data-10m' | 'failover' | 'soak';

/**
 * The sections of the default scenario. `--only sending` (or a comma-separated list) runs just those and
 * reports the others as skipped: a CPU profile (`--profile`) of one section then shows that section alone.
 */
export const BENCH_SECTIONS = ['http', 'webhooks', 'sending', 'pipeline', 'acceptance', 'inbound'] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

export interface BenchOptions {
  readonly scenario: BenchScenario;
  /** Delivery rows the data scenario seeds. */
  readonly rows: number;
  /** How long the soak scenario runs. */
  readonly minutes: number;
  readonly quick: boolean;
  /** `--source`: run the server from TypeScript under tsx instead of building it and running dist. */
  readonly source: boolean;
  /** The sections to run (`--only`); all by default. */
  readonly only: readonly BenchSection[];
  /** `--profile`: the server writes a V8 CPU profile (.cpuprofile) into bench/results/ when it stops. */
  readonly profile: boolean;
  /** An admin connection to Postgres: the bench creates (and drops) its own database through it. */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly http: { readonly concurrency: number; readonly warmupMs: number; readonly durationMs: number };
  readonly webhooks: { readonly count: number; readonly concurrency: number };
  readonly messages: { readonly instances: number; readonly count: number; readonly concurrency: number };
  readonly pipeline: { readonly count: number; readonly concurrency: number; readonly openLoopMs: number; readonly slowHostPairs: number };
  readonly acceptance: { readonly instances: number; readonly count: number; readonly connections: number };
  readonly inbound: { readonly instances: number; readonly count: number; readonly concurrency: number };
  /** Server settings from BENCH_SET_* variables. */
  readonly serverOverrides: Record<string, string>;
}

const OVERRIDE = /^BENCH_SET_([A-Z][A-Z0-9_]*)$/;

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const KNOWN_FLAGS = new Set(['--quick', '--source', '--profile', '--']);

const SCENARIOS: readonly BenchScenario[] = ['default', 'data-10m', 'failover', 'soak'];
const USAGE =
  'usage: pnpm bench [-- [--quick] [--source] [--profile] [--scenario default|data-10m|failover|soak] [--rows N] [--minutes N] ' +
  `[--only ${BENCH_SECTIONS.join('|')}[,...]]]`;

/** Reads the flags and BENCH_DATABASE_URL / BENCH_REDIS_URL; throws on an unknown flag or a bad value. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const values = new Map<string, string>();
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--scenario' || arg === '--rows' || arg === '--minutes' || arg === '--only') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value (${USAGE})`);
      values.set(arg, value);
    } else flags.push(arg);
  }
  const unknown = flags.filter((arg) => !KNOWN_FLAGS.has(arg));
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (${USAGE})`);
  const scenario = (values.get('--scenario') ?? 'default') as BenchScenario;
  if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario} (${USAGE})`);
  const quick = argv.includes('--quick');
  const rows = Number(values.get('--rows') ?? (quick ? 20_000 : 100_000));
  if (!Number.isInteger(rows) || rows < 1_000) throw new Error(`--rows must be a whole number of at least 1000 (${USAGE})`);
  const minutes = Number(values.get('--minutes') ?? (quick ? 1 : 10));
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 240) throw new Error(`--minutes must be a whole number from 1 to 240 (${USAGE})`);
  const only = (values.get('--only')?.split(',') ?? [...BENCH_SECTIONS]) as BenchSection[];
  const unknownSections = only.filter((name) => !BENCH_SECTIONS.includes(name));
  if (unknownSections.length > 0 || only.length === 0) throw new Error(`--only takes sections among ${BENCH_SECTIONS.join(', ')} (${USAGE})`);
  return {
    scenario,
    only,
    rows,
    minutes,
    quick,
    source: argv.includes('--source'),
    profile: argv.includes('--profile'),
    databaseUrl: env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: env.BENCH_REDIS_URL ?? DEFAULT_REDIS_URL,
    http: { concurrency: 32, warmupMs: quick ? 500 : 2_000, durationMs: quick ? 2_000 : 10_000 },
    webhooks: { count: quick ? 200 : 2_000, concurrency: 32 },
    messages: { instances: quick ? 3 : 10, count: quick ? 200 : 2_000, concurrency: 32 },
    pipeline: { count: quick ? 200 : 2_000, concurrency: 16, openLoopMs: quick ? 3_000 : 10_000, slowHostPairs: quick ? 1 : 2 },
    acceptance: { instances: 5, count: quick ? 300 : 2_000, connections: 50 },
    inbound: { instances: 5, count: quick ? 200 : 2_000, concurrency: 32 },
    serverOverrides: Object.fromEntries(
      Object.entries(env).flatMap(([name, value]) => {
        const variable = OVERRIDE.exec(name)?.[1];
        return variable === undefined || value === undefined ? [] : [[variable, value]];
      }),
    ),
  };
}
