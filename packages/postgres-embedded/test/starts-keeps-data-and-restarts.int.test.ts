import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/index.js';

const logged: string[] = [];
const logger = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(`WARN ${m}`) };

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`pid ${pid} is still running`);
}

describe('startEmbeddedPostgres', () => {
  // initdb takes seconds on a busy machine: most tests start from a copy of one initialised data directory
  // (cp -a keeps the postgres user's ownership when running as root). Tests of initialising use `fresh`.
  let template: string;
  let dataDir: string;
  let fresh: string;
  const running: EmbeddedPostgres[] = [];
  const initialisedCopy = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiu-embedded-pg-'));
    for (const entry of ['pgdata', 'password']) {
      const copy = spawnSync('cp', ['-a', join(template, entry), join(dir, entry)]);
      if (copy.status !== 0) throw new Error(`cp failed: ${copy.stderr.toString()}`);
    }
    return dir;
  };

  beforeAll(async () => {
    template = await mkdtemp(join(tmpdir(), 'wiu-embedded-pg-template-'));
    await (await startEmbeddedPostgres({ dataDir: template, logger })).stop();
  });
  afterAll(async () => {
    await rm(template, { recursive: true, force: true });
  });
  beforeEach(async () => {
    dataDir = await initialisedCopy();
    fresh = join(dataDir, 'fresh');
    logged.length = 0;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises a cluster, answers queries, and keeps the data and the URL across a restart', async () => {
    const started = Date.now();
    const first = await startEmbeddedPostgres({ dataDir: fresh, logger });
    running.push(first);
    const firstStartMs = Date.now() - started;
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    const [row] = await query<{ server_version: string }>(first.url, 'SHOW server_version');
    expect(row?.server_version).toMatch(/^18\./);
    await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives a restart')");
    await first.stop();

    const restartedAt = Date.now();
    const second = await startEmbeddedPostgres({ dataDir: fresh, logger });
    running.push(second);
    const restartMs = Date.now() - restartedAt;
    expect(second.url).toBe(first.url);
    expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'survives a restart' }]);
    expect(logged.filter((line) => line.startsWith('Initialising'))).toHaveLength(1);
    console.info(`embedded PostgreSQL: first start (initdb + start) ${firstStartMs} ms, restart ${restartMs} ms`);
  });

  it('starts in a directory below one private to this user (as root: the server user may enter it, not list it)', async () => {
    const privateParent = join(dataDir, 'private');
    await mkdir(privateParent, { mode: 0o700 });
    const server = await startEmbeddedPostgres({ dataDir: join(privateParent, 'postgres'), logger });
    running.push(server);
    expect(await query(server.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    const mode = (await stat(privateParent)).mode & 0o777;
    expect(mode).toBe(process.getuid?.() === 0 ? 0o701 : 0o700);
  });

  // Reads the process group from /proc, which only Linux has; CI runs on Linux, so the behaviour is always
  // checked there. Elsewhere the server is still started detached, only this check cannot see it.
  it.skipIf(process.platform !== 'linux')('runs the server in its own process group, so a Ctrl+C meant for this process does not stop it first', async () => {
    const server = await startEmbeddedPostgres({ dataDir, logger });
    running.push(server);
    const pid = Number.parseInt((await readFile(join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);
    const groupOf = async (of: number | 'self') => {
      const stat = await readFile(`/proc/${of}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
    };
    expect(await groupOf(pid)).toBe(String(pid));
    expect(await groupOf('self')).not.toBe(String(pid));
  });

  it('refuses connections without the password', async () => {
    const server = await startEmbeddedPostgres({ dataDir, logger });
    running.push(server);
    const withoutPassword = server.url.replace(/:[^:@/]+@/, ':wrong@');
    await expect(query(withoutPassword, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('starts again after a crash left a stale postmaster.pid', async () => {
    const server = await startEmbeddedPostgres({ dataDir, logger });
    const pgdata = join(dataDir, 'pgdata');
    const pid = Number.parseInt((await readFile(join(pgdata, 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);
    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid);
    await server.stop();
    expect(await readFile(join(pgdata, 'postmaster.pid'), 'utf8')).toContain(String(pid));

    const again = await startEmbeddedPostgres({ dataDir, logger });
    running.push(again);
    expect(await query(again.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    expect(logged.some((line) => line.startsWith('WARN Removing a stale postmaster.pid'))).toBe(true);
  });

  it('stops a server left running by a process that died, then starts its own on the same data', async () => {
    const orphaned = await startEmbeddedPostgres({ dataDir, logger });
    running.push(orphaned);
    await query(orphaned.url, 'CREATE TABLE before_the_crash (id int)');
    const orphanPid = Number.parseInt((await readFile(join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);
    // The owner file names the process that started the server; a pid that has exited stands for a crashed one.
    const dead = spawn('true');
    await new Promise((resolve) => dead.once('exit', resolve));
    await writeFile(join(dataDir, 'owner'), `${dead.pid}\n`);

    const successor = await startEmbeddedPostgres({ dataDir, logger });
    running.push(successor);
    expect(logged).toContain(`WARN Stopping an orphaned embedded PostgreSQL server (pid ${orphanPid}) left by an earlier crash`);
    expect(await query(successor.url, "SELECT to_regclass('before_the_crash') IS NOT NULL AS kept")).toEqual([{ kept: true }]);
  });

  it('refuses to start on data a live process is serving', async () => {
    const first = await startEmbeddedPostgres({ dataDir, logger });
    running.push(first);
    const owner = spawn('sleep', ['30']);
    try {
      await writeFile(join(dataDir, 'owner'), `${owner.pid}\n`);
      await expect(startEmbeddedPostgres({ dataDir, logger })).rejects.toThrow(
        new RegExp(`Another process \\(pid ${owner.pid}\\) is running an embedded PostgreSQL server`),
      );
      expect(await query(first.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    } finally {
      owner.kill();
    }
  });

  it('moves to a free port when the stored one is taken, and uses a fixed port when given', async () => {
    const first = await startEmbeddedPostgres({ dataDir, logger });
    await first.stop();
    const otherDir = await initialisedCopy();
    try {
      const squatter = await startEmbeddedPostgres({ dataDir: otherDir, port: first.port, logger });
      running.push(squatter);
      expect(squatter.port).toBe(first.port);
      const moved = await startEmbeddedPostgres({ dataDir, logger });
      running.push(moved);
      expect(moved.port).not.toBe(first.port);
      expect(await query(moved.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
      await Promise.all(running.splice(0).map((server) => server.stop()));
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('fails with a clear error when the data directory holds something else', async () => {
    await mkdir(fresh);
    await writeFile(join(fresh, 'pgdata'), 'not a cluster');
    await expect(startEmbeddedPostgres({ dataDir: fresh, logger })).rejects.toThrow(/holds no PostgreSQL cluster/);
  });

  it('fails with a clear error when its fixed port is taken', async () => {
    const first = await startEmbeddedPostgres({ dataDir, logger });
    running.push(first);
    const otherDir = await initialisedCopy();
    try {
      await expect(startEmbeddedPostgres({ dataDir: otherDir, port: first.port, logger })).rejects.toThrow(
        /could not start on port \d+.*(could not bind|Address already in use|Another PostgreSQL server answers on this port)/s,
      );
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
