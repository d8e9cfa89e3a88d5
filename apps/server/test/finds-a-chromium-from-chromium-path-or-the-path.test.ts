/*
 * Where the browser test looks for Chromium. Fake executables in a temporary directory stand in for real
 * browsers: only the lookup is under test, nothing is launched.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserRequired, findChromium } from './support/headless-chromium.js';

function fakeExecutable(dir: string, name: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wiu-browser-'));
    const configured = fakeExecutable(dir, 'my-chrome');
    fakeExecutable(dir, 'chromium');
    expect(findChromium({ CHROMIUM_PATH: configured, PATH: dir })).toEqual({ path: configured });
  });

  it('reports a CHROMIUM_PATH that is not executable instead of looking elsewhere', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wiu-browser-'));
    fakeExecutable(dir, 'chromium');
    const notExecutable = fakeExecutable(dir, 'not-a-browser', 0o644);
    const result = findChromium({ CHROMIUM_PATH: notExecutable, PATH: dir });
    expect(result.path).toBeNull();
    expect(result).toMatchObject({ reason: expect.stringContaining('CHROMIUM_PATH') });
  });

  it.each(['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'])('finds %s on PATH', (name) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wiu-browser-'));
    const file = fakeExecutable(dir, name);
    expect(findChromium({ PATH: `/nonexistent${path.delimiter}${dir}` })).toEqual({ path: file });
  });
});

describe('browserRequired', () => {
  it('is true in CI or with TEST_REQUIRE_INFRA=1, false otherwise', () => {
    expect(browserRequired({ CI: 'true' })).toBe(true);
    expect(browserRequired({ TEST_REQUIRE_INFRA: '1' })).toBe(true);
    expect(browserRequired({})).toBe(false);
    expect(browserRequired({ CI: 'false' })).toBe(false);
  });
});
