/*
 * docker/ drifts silently: nothing runs it here (no Docker engine). These checks read the files as text and
 * fail when the server gains a variable that docker/.env.example does not document, when the example lists
 * one the server does not read, or when the image or compose file loses a setting the server relies on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envSchema, workerEnvSchema } from '../src/config/env-schema.js';

const DOCKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docker');
const read = (name: string) => readFileSync(path.join(DOCKER_DIR, name), 'utf8');

const envExample = read('.env.example');
const compose = read('compose.yaml');
const dockerfile = read('Dockerfile');

/** Every variable either role reads (the API's `serve` and `whatisup worker`). */
const serverVariables = [...new Set([...Object.keys(envSchema.entries), ...Object.keys(workerEnvSchema.entries)])].sort();
/** `NAME=` or `# NAME=` at the start of a line: set, or documented with its default. */
const listed = [...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
/** `${NAME}`, `${NAME:?...}`, `${NAME:-...}`: variables compose.yaml itself reads from docker/.env. */
const composeVariables = new Set([...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!));

describe('docker/.env.example', () => {
  it('documents every variable the server reads', () => {
    expect(serverVariables.filter((name) => !listed.includes(name))).toEqual([]);
  });

  it('lists nothing the server or compose.yaml does not read, and nothing twice', () => {
    expect(listed.filter((name) => !serverVariables.includes(name) && !composeVariables.has(name))).toEqual([]);
    expect(listed.filter((name, index) => listed.indexOf(name) !== index)).toEqual([]);
  });
});

describe('docker/compose.yaml', () => {
  it('runs Redis the way BullMQ needs it: persistent and never evicting keys', () => {
    expect(compose).toMatch(/--appendonly["',\s]+yes/);
    expect(compose).toMatch(/--maxmemory-policy["',\s]+noeviction/);
  });

  it('pins every image by version, starts the server after healthy dependencies, and has a worker profile', () => {
    const images = [...compose.matchAll(/^\s*image:\s*(\S+)/gm)].map((match) => match[1]!);
    expect(images).toEqual(expect.arrayContaining([expect.stringMatching(/^postgres:15\.\d+/), expect.stringMatching(/^redis:7\.\d+\.\d+/)]));
    expect(images.filter((image) => /:latest$|^[^:]+$/.test(image))).toEqual([]);
    expect(compose).toMatch(/condition: service_healthy/);
    expect(compose).toMatch(/profiles: \["worker"\]/);
    expect(compose).toMatch(/"dist\/cli\.js", "worker"/);
    expect(compose).toMatch(/DATA_DIR: \/data/);
  });
});

describe('docker/Dockerfile', () => {
  it('pins the base image, builds with pnpm 12.4.2 and deploys production dependencies only', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim/m);
    expect(dockerfile).toContain('npm install -g -E pnpm@12.4.2');
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    expect(dockerfile).toMatch(/pnpm --filter @whatisup\/server deploy --prod/);
  });

  it('ships the migrations, runs as a non-root user with /data as a volume, and checks /healthz', () => {
    expect(dockerfile).toMatch(/cp -r migrations \/out\/migrations/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(dockerfile).toMatch(/DATA_DIR=\/data/);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--v8-pool-size=0", "dist\/main\.js"\]$/m);
  });

  it('starts Node with one V8 helper thread fewer than cores, in the image and in every compose command', () => {
    const commands = [...dockerfile.matchAll(/^CMD \[(.*)\]$/gm), ...compose.matchAll(/command: \[("node".*)\]/g)].map((match) => match[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands.filter((command) => !command.startsWith('"node", "--v8-pool-size=0", '))).toEqual([]);
  });
});
