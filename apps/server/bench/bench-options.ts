/*
 * What one run of the benchmark measures and against which servers. Counts are fixed per mode, so two runs
 * of the same mode are comparable; `--quick` is a smoke run that finishes in well under a minute.
 * By default the server is built first (as `pnpm start` does) and its dist is measured.
 * `BENCH_SET_<VARIABLE>=value` overrides one setting of the server under test (e.g.
 * BENCH_SET_WEBHOOK_MAX_PER_HOST=32), to compare configurations; the report lists the settings used.
 */
export interface BenchOptions {
  readonly quick: boolean;
  /** `--source`: run the server from TypeScript under tsx instead of building it and running dist. */
  readonly source: boolean;
  /** `--profile`: the server writes a V8 CPU profile (.cpuprofile) into bench/results/ when it stops. */
  readonly profile: boolean;
  /** An admin connection to Postgres: the bench creates (and drops) its own database through it. */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly http: { readonly concurrency: number; readonly warmupMs: number; readonly durationMs: number };
  readonly webhooks: { readonly count: number; readonly concurrency: number };
  readonly messages: { readonly instances: number; readonly count: number; readonly concurrency: number };
  /** Server settings from BENCH_SET_* variables. */
  readonly serverOverrides: Record<string, string>;
}

const OVERRIDE = /^BENCH_SET_([A-Z][A-Z0-9_]*)$/;

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const KNOWN_FLAGS = new Set(['--quick', '--source', '--profile', '--']);

/** Reads `--quick` and BENCH_DATABASE_URL / BENCH_REDIS_URL; throws on an unknown flag. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const unknown = argv.filter((arg) => !KNOWN_FLAGS.has(arg));
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (usage: pnpm bench [-- [--quick] [--source] [--profile]])`);
  const quick = argv.includes('--quick');
  return {
    quick,
    source: argv.includes('--source'),
    profile: argv.includes('--profile'),
    databaseUrl: env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: env.BENCH_REDIS_URL ?? DEFAULT_REDIS_URL,
    http: { concurrency: 32, warmupMs: quick ? 500 : 2_000, durationMs: quick ? 2_000 : 10_000 },
    webhooks: { count: quick ? 200 : 2_000, concurrency: 32 },
    messages: { instances: quick ? 3 : 10, count: quick ? 200 : 2_000, concurrency: 32 },
    serverOverrides: Object.fromEntries(
      Object.entries(env).flatMap(([name, value]) => {
        const variable = OVERRIDE.exec(name)?.[1];
        return variable === undefined || value === undefined ? [] : [[variable, value]];
      }),
    ),
  };
}
