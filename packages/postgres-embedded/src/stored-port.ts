/*
 * The port is chosen once (a free one, unless the caller fixed it) and kept in the data directory, so the
 * database URL stays the same across restarts. A stored port that something else took meanwhile is replaced.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export async function readStoredPort(dataDir: string): Promise<number | null> {
  const text = await readFile(join(dataDir, 'port'), 'utf8').catch(() => null);
  const port = text === null ? NaN : Number.parseInt(text, 10);
  return Number.isInteger(port) && port > 0 && port < 65_536 ? port : null;
}

export async function storePort(dataDir: string, port: number): Promise<void> {
  await writeFile(join(dataDir, 'port'), `${port}\n`, { mode: 0o600 });
}

/** A port nothing listens on at 127.0.0.1 right now (0 asks the kernel for one). */
export function findFreePort(port = 0): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : null));
    });
  });
}
