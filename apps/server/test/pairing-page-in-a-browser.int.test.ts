/*
 * In a real browser: a real server process, a sandbox instance made over HTTP, an
 * instance-bound event token, and the pairing page opened in headless Chromium. The page shows the live QR
 * from the event stream, then "Connected" with the phone number once the sandbox scans itself.
 *
 * Needs a Chromium (see support/headless-chromium.ts for where it is looked for). Without one the file is
 * skipped with the reason printed, except in CI or with TEST_REQUIRE_INFRA=1, where it fails.
 */
import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserRequired, findChromium, launchChromium, type HeadlessChromium } from './support/headless-chromium.js';
import { runCli, startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

const browser = findChromium(process.env);
if (browser.path === null) {
  if (browserRequired(process.env)) {
    throw new Error(`The pairing page's browser test cannot run: ${browser.reason}. CI and TEST_REQUIRE_INFRA=1 require it.`);
  }
  console.warn(`Skipping the pairing page's browser test: ${browser.reason}.`);
}
const browserPath = browser.path;

let database: TestDatabase;
let env: TestEnv;
let server: ServerProcess;
let chromium: HeadlessChromium;
let key: string;

async function cliJson(args: string[]): Promise<Record<string, string>> {
  const result = await runCli([...args, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>;
}

async function api<T>(method: string, urlPath: string, body?: object): Promise<{ status: number; json: T }> {
  const response = await fetch(`${server.url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

beforeAll(async () => {
  if (browserPath === null) return;
  database = await createTestDatabase();
  env = testEnv(database.url, serverRedisUrl(), { SANDBOX_AUTO_SCAN_MS: '1500' });
  const customer = await cliJson(['customer', 'create', '--name', 'Pairing']);
  key = (await cliJson(['key', 'create', '--customer', customer.id!])).key!;
  [server, chromium] = await Promise.all([startServer(env), launchChromium(browserPath)]);
}, 90_000);

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
  await database?.drop();
});

// Skipped only where no Chromium exists and CI/TEST_REQUIRE_INFRA is unset (the reason is printed above);
// in CI a missing browser fails instead, so the page is always checked there.
describe.skipIf(browserPath === null)('the pairing page in headless Chromium', () => {
  it('shows the live QR of a sandbox instance, then "Connected" with its phone number', async () => {
    const instance = await api<{ id: string }>('POST', '/v1/instances', { name: 'browser-pairing', kind: 'sandbox' });
    expect(instance.status).toBe(201);
    const minted = await api<{ token: string }>('POST', '/v1/event-tokens', { instance_id: instance.json.id, ttl_seconds: 600 });
    expect(minted.status).toBe(201);

    const page = await chromium.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
    await page.goto(`${server.url}/pair?token=${minted.json.token}`);
    await page.locator('#status[data-state="waiting"]').waitFor({ timeout: 10_000 });

    expect((await api('POST', `/v1/instances/${instance.json.id}/connect`)).status).toBe(202);
    const qr = page.locator('#qr');
    await qr.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const shots = mkdtempSync(path.join(tmpdir(), 'wiu-pairing-'));
    await page.screenshot({ path: path.join(shots, 'qr.png') });

    const status = page.locator('#status[data-state="connected"]');
    await status.waitFor({ timeout: 10_000 });
    const after = await api<{ status: string; phone_number: string }>('GET', `/v1/instances/${instance.json.id}`);
    expect(after.json.status).toBe('connected');
    expect(await status.textContent()).toContain(`Connected as +${after.json.phone_number}`);
    expect(await qr.isVisible()).toBe(false);
    await page.screenshot({ path: path.join(shots, 'connected.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('says the link is invalid or expired instead of spinning', async () => {
    const page = await chromium.newPage();
    const response = await page.goto(`${server.url}/pair?token=wiuevt_forged.signature`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('#status[data-state="error"]').textContent()).toMatch(/invalid/);
    await page.close();
  }, 30_000);
});
