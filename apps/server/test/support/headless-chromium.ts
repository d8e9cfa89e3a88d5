/*
 * A Chromium-family browser driven by playwright-core, headless, with a fresh profile per launch and every
 * background feature that would reach the network turned off. playwright-core downloads no browser, so one
 * is looked for the way Playwright's own `channel` lookup does: CHROMIUM_PATH when set, then the usual
 * names on PATH, then the usual install locations, then a browser Playwright itself installed
 * (`npx playwright install chromium`). `.ci/browser-deps` installs Debian's chromium.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { infraRequired } from './infra-required.js';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const INSTALL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export type BrowserLookup = { readonly path: string } | { readonly path: null; readonly reason: string };

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightsOwn(): string | null {
  try {
    const file = chromium.executablePath();
    return file && isExecutable(file) ? file : null;
  } catch {
    return null;
  }
}

/** The browser to drive, or why there is none. A CHROMIUM_PATH that is not executable is never second-guessed. */
export function findChromium(env: Readonly<Record<string, string | undefined>>): BrowserLookup {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    return isExecutable(configured)
      ? { path: configured }
      : { path: null, reason: `CHROMIUM_PATH=${configured} is not an executable file` };
  }
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .flatMap((dir) => NAMES.map((name) => path.join(dir, name)));
  const found = [...onPath, ...INSTALL_PATHS].find(isExecutable) ?? playwrightsOwn();
  return found
    ? { path: found }
    : {
        path: null,
        reason: `no Chromium found (looked for ${NAMES.join(', ')} on PATH, the usual install paths and Playwright's own); install one (bash .ci/browser-deps) or set CHROMIUM_PATH`,
      };
}

/** In CI or with TEST_REQUIRE_INFRA=1 a missing browser is a failure, elsewhere a skip. */
export const browserRequired = infraRequired;

export interface HeadlessChromium {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<HeadlessChromium> {
  const profile = mkdtempSync(path.join(tmpdir(), 'wiu-chromium-'));
  // A fresh profile (playwright passes it as --user-data-dir) so no state leaks between runs.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
