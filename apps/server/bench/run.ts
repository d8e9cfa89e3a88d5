/*
 * `pnpm bench [-- [--quick] [--source] [--profile]]`: measures a real server process on this machine and prints the
 * figures (docs/benchmarks.md says how to read them). It builds the server (unless --source), creates its
 * own database and Redis prefix, makes a customer and a key with the operator CLI, starts the server, runs
 * the sections one after another, and always cleans up (server stopped, database dropped, Redis keys
 * deleted, DATA_DIR removed), on failure and on Ctrl-C too. A watchdog ends a run past its time budget.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, testEnv } from '../test/support/processes.js';
import { startWebhookReceiver } from '../test/support/webhook-receiver.js';
import { createBenchClient } from './bench-client.js';
import { buildServer } from './build-server.js';
import { createBenchDatabase } from './bench-database.js';
import { BENCH_SECTIONS, parseBenchOptions, type BenchOptions, type BenchSection } from './bench-options.js';
import { deleteRedisKeys, uniqueBenchPrefix } from './bench-redis.js';
import { describeMachine, formatReport, loadNow, writeReport, type BenchReport, type Outcome } from './bench-report.js';
import { measureHttpApi } from './measure-http-api.js';
import { measureInboundMessages } from './measure-inbound-messages.js';
import { measureMessageSending } from './measure-message-sending.js';
import { measureWebhookDelivery } from './measure-webhook-delivery.js';
import { measureSendAcceptance } from './measure-send-acceptance.js';
import { measureWebhookPipeline } from './measure-webhook-pipeline.js';
import { formatDataReport } from './data/format-data-report.js';
import { DATA_SCENARIO_SETTINGS, runDataScenario } from './data/run-data-scenario.js';
import { seedDeliveries } from './data/seed-deliveries.js';
import { readCpuMs, readMemory, sleep, startServerProcess, type MemoryReading } from './server-process.js';
import { FAILOVER_SCENARIO_SETTINGS, formatFailoverReport, runFailoverScenario } from './failover/run-failover-scenario.js';
import { formatSoakReport, runSoakScenario } from './soak/run-soak-scenario.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SETTLE_MS = 2_000;

/** Settings of the server under test (besides connections and secrets); printed into the report. */
const SERVER_SETTINGS: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
  MESSAGE_MIN_GAP_MS: '0',
  SANDBOX_AUTO_SCAN_MS: '200',
  SANDBOX_RECEIPT_DELAY_MS: '50',
  // The bench measures capacity, not the per-customer quota (default 120 burst, 20/s): the limiter still
  // runs (one Redis script per request), it just never says no.
  RATE_LIMIT_CAPACITY: '1000000',
  RATE_LIMIT_REFILL_PER_SECOND: '1000000',
};

const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];

async function cleanUp(): Promise<void> {
  for (const { what, run } of cleanups.splice(0).reverse()) {
    await run().catch((error: unknown) => process.stderr.write(`cleanup: could not ${what}: ${String(error)}\n`));
  }
}

let selected: readonly BenchSection[] = BENCH_SECTIONS;

async function section<T>(name: BenchSection, title: string, measure: () => Promise<T>): Promise<Outcome<T>> {
  if (!selected.includes(name)) return { ok: false, skipped: true, reason: 'not selected (--only)' };
  process.stderr.write(`bench: ${title}...\n`);
  try {
    return { ok: true, result: await measure() };
  } catch (error) {
    return { ok: false, skipped: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  selected = options.only;
  const loadBefore = loadNow();
  const dataScenario = options.scenario === 'data-10m';
  const failoverScenario = options.scenario === 'failover';
  const soakScenario = options.scenario === 'soak';
  const settings = {
    ...SERVER_SETTINGS,
    ...(dataScenario ? DATA_SCENARIO_SETTINGS : {}),
    ...(failoverScenario ? FAILOVER_SCENARIO_SETTINGS : {}),
    ...options.serverOverrides,
  };
  if (!options.source) {
    process.stderr.write('bench: building the server (turbo run build --filter=@whatisup/server...)\n');
    await buildServer();
  }
  const watchdog = setTimeout(() => {
    process.stderr.write('bench: time budget exceeded, stopping\n');
    void cleanUp().finally(() => process.exit(1));
  }, soakScenario ? (options.minutes + 15) * 60_000 : options.quick ? 180_000 : dataScenario ? 3_600_000 : 900_000);
  watchdog.unref();

  const database = await createBenchDatabase(options.databaseUrl);
  cleanups.push({ what: `drop database ${database.name}`, run: () => database.drop() });
  const prefix = uniqueBenchPrefix();
  cleanups.push({ what: `delete Redis keys ${prefix}:*`, run: () => deleteRedisKeys(options.redisUrl, prefix) });
  const env = testEnv(database.url, options.redisUrl, { ...settings, REDIS_PREFIX: prefix });
  cleanups.push({ what: 'remove DATA_DIR', run: async () => rmSync(env.DATA_DIR!, { recursive: true, force: true }) });

  process.stderr.write(`bench: database ${database.name}, Redis prefix ${prefix}; migrating and creating a key with the CLI\n`);
  const { key: apiKey, customerId } = await createCustomerKey(env);
  const seeded = dataScenario ? await seedWithProgress(database.url, customerId, options.rows) : null;
  const nodeArgs = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(BENCH_DIR, 'results')}`] : [];
  const server = await startServerProcess(env, { build: options.source ? 'source' : 'built', nodeArgs });
  cleanups.push({ what: 'stop the server', run: () => server.stop() });
  const receiver = await startWebhookReceiver();
  cleanups.push({ what: 'close the webhook receiver', run: () => receiver.close() });
  const client = createBenchClient(server.url, apiKey, { maxSockets: 32 });
  cleanups.push({ what: 'close the client', run: async () => client.close() });
  const baseline = dataScenario || soakScenario
    ? null
    : await startServerProcess({ ...env, BASELINE_CONCURRENCY: String(options.pipeline.concurrency) }, { build: 'baseline' });
  if (baseline !== null) cleanups.push({ what: 'stop the baseline', run: () => baseline.stop() });

  if (seeded !== null) {
    process.stderr.write('bench: data scenario: list routes, plans, retention, sizes\n');
    const result = await runDataScenario(client, database.url, seeded, { quick: options.quick });
    const header = [
      `WhatIsUp data scenario ${new Date().toISOString()}: ${commandOf(options)}`,
      `${describeMachine().cpus} cores ${describeMachine().cpuModel}, Node ${process.version}`,
    ];
    process.stdout.write(`\n${formatDataReport(result, header)}\n`);
    writeDataReport(result, path.join(BENCH_DIR, 'results'));
    return 0;
  }
  if (failoverScenario) {
    process.stderr.write('bench: failover scenario: two nodes, sandbox instances, kill -9 of one\n');
    const result = await runFailoverScenario(client, {
      databaseUrl: database.url,
      env,
      build: options.source ? 'source' : 'built',
      nodeArgs,
      first: server,
      instances: options.quick ? 100 : 1_000,
      onCleanup: (what, run) => cleanups.push({ what, run }),
    });
    const header = [
      `WhatIsUp failover scenario ${new Date().toISOString()}: ${commandOf(options)}`,
      `${describeMachine().cpus} cores ${describeMachine().cpuModel}, Node ${process.version}`,
    ];
    process.stdout.write(`\n${formatFailoverReport(result, header)}\n`);
    mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
    writeFileSync(path.join(BENCH_DIR, 'results', 'failover-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  if (soakScenario) {
    process.stderr.write(`bench: soak scenario: calibrating, then ${options.minutes} min at half the rate\n`);
    const result = await runSoakScenario(client, receiver, {
      databaseUrl: database.url,
      redisUrl: options.redisUrl,
      redisPrefix: prefix,
      serverPid: server.pid,
      minutes: options.minutes,
      quick: options.quick,
    });
    const header = [
      `WhatIsUp soak scenario ${new Date().toISOString()}: ${commandOf(options)}`,
      `${describeMachine().cpus} cores ${describeMachine().cpuModel}, Node ${process.version}; load average ${loadBefore} → ${loadNow()}`,
    ];
    process.stdout.write(`\n${formatSoakReport(result, header)}\n`);
    mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
    writeFileSync(path.join(BENCH_DIR, 'results', 'soak-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result.missingAtEnd === 0 ? 0 : 1;
  }
  const serverCpuMs = () => readCpuMs(server.pid);
  await sleep(SETTLE_MS);
  const idle = readMemory(server.pid);
  const httpApi = await section('http', 'HTTP API', () => measureHttpApi(client, { ...options.http, serverCpuMs }));
  const webhookDelivery = await section('webhooks', 'webhook delivery', () =>
    measureWebhookDelivery(client, receiver, { ...options.webhooks, serverCpuMs, timeoutMs: options.quick ? 60_000 : 180_000 }),
  );
  const missing = await missingRoutes(server.url, ['/v1/instances/{id}/connect', '/v1/instances/{id}/messages']);
  const messageSending: Outcome<Awaited<ReturnType<typeof measureMessageSending>>> =
    missing.length > 0
      ? { ok: false, skipped: true, reason: `the server does not serve ${missing.join(', ')} yet` }
      : await section('sending', 'message sending', () => measureMessageSending(client, { ...options.messages, serverCpuMs, timeoutMs: options.quick ? 60_000 : 300_000 }));
  const baselineCpuMs = () => readCpuMs(baseline!.pid);
  const metricsClient = createBenchClient(server.url, apiKey, { maxSockets: 1 });
  cleanups.push({ what: 'close the metrics client', run: async () => metricsClient.close() });
  const baselineClient = createBenchClient(baseline!.url, 'none', { maxSockets: options.pipeline.concurrency });
  cleanups.push({ what: 'close the baseline client', run: async () => baselineClient.close() });
  const webhookPipeline = await section('pipeline', 'webhook pipeline against the baseline', () =>
    measureWebhookPipeline(client, { client: baselineClient, cpuMs: baselineCpuMs }, { ...options.pipeline, serverCpuMs, metricsClient, databaseUrl: database.url, timeoutMs: options.quick ? 60_000 : 180_000 }),
  );
  const sendAcceptance: Outcome<Awaited<ReturnType<typeof measureSendAcceptance>>> =
    missing.length > 0
      ? { ok: false, skipped: true, reason: `the server does not serve ${missing.join(', ')} yet` }
      : await section('acceptance', 'staged send against the baseline', () =>
          measureSendAcceptance(server.url, apiKey, { url: baseline!.url, cpuMs: baselineCpuMs }, { ...options.acceptance, serverCpuMs, metricsClient, timeoutMs: options.quick ? 60_000 : 300_000 }),
        );
  const inboundMessages = await section('inbound', 'inbound messages', () =>
    measureInboundMessages(client, { ...options.inbound, serverCpuMs, timeoutMs: options.quick ? 60_000 : 180_000 }),
  );
  await sleep(SETTLE_MS);
  const afterLoad: MemoryReading = readMemory(server.pid);

  const report: BenchReport = {
    date: new Date().toISOString(),
    command: commandOf(options),
    mode: options.quick ? 'quick' : 'full',
    server: options.source ? 'source (tsx)' : 'built (dist)',
    machine: describeMachine(),
    loadAverage: { before: loadBefore, after: loadNow() },
    serverSettings: settings,
    httpApi,
    webhookDelivery,
    messageSending,
    webhookPipeline,
    sendAcceptance,
    inboundMessages,
    memory: { idle, afterLoad },
  };
  process.stdout.write(`\n${formatReport(report)}\n`);
  process.stdout.write(`\nwritten to ${path.relative(process.cwd(), writeReport(report, path.join(BENCH_DIR, 'results')))}\n`);
  const failed = [httpApi, webhookDelivery, messageSending, webhookPipeline, sendAcceptance, inboundMessages].some((outcome) => !outcome.ok && !outcome.skipped);
  return failed ? 1 : 0;
}

function commandOf(options: BenchOptions): string {
  const flags = [
    options.quick && '--quick',
    options.source && '--source',
    options.profile && '--profile',
    options.scenario !== 'default' && `--scenario ${options.scenario}`,
    options.scenario === 'data-10m' && `--rows ${options.rows}`,
    options.scenario === 'soak' && `--minutes ${options.minutes}`,
    options.only.length < BENCH_SECTIONS.length && `--only ${options.only.join(',')}`,
  ].filter(Boolean);
  return flags.length === 0 ? 'pnpm bench' : `pnpm bench -- ${flags.join(' ')}`;
}

/** Migrates the new database and creates a customer and an API key through the operator CLI. */
async function createCustomerKey(env: Record<string, string>): Promise<{ key: string; customerId: string }> {
  const cli = async (args: string[]) => {
    const result = await runCli(args, env);
    if (result.code !== 0) throw new Error(`whatisup ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  await cli(['migrate']);
  const customer = JSON.parse(await cli(['customer', 'create', '--name', 'Benchmark', '--json'])) as { id: string };
  const key = JSON.parse(await cli(['key', 'create', '--customer', customer.id, '--name', 'bench', '--json'])) as { key: string };
  return { key: key.key, customerId: customer.id };
}

async function seedWithProgress(url: string, customerId: string, rows: number) {
  process.stderr.write(`bench: seeding ${rows} deliveries with generate_series\n`);
  return seedDeliveries(url, customerId, rows);
}

function writeDataReport(result: unknown, directory: string): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'data-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
}

/** The paths (as OpenAPI names them) that the running server does not document, hence does not serve. */
async function missingRoutes(url: string, paths: string[]): Promise<string[]> {
  const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths?: Record<string, unknown> };
  return paths.filter((p) => document.paths?.[p] === undefined);
}

process.once('SIGINT', () => {
  process.stderr.write('bench: interrupted, cleaning up\n');
  void cleanUp().finally(() => process.exit(130));
});

main()
  .then(
    (code) => code,
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
