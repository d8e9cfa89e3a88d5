/*
 * Development conveniences, never applied when NODE_ENV=production: a local database and Redis by default,
 * and secrets generated once and kept in DATA_DIR/dev-secrets.json (mode 0600) so `pnpm start` works on a
 * fresh machine and keeps working across restarts (keys and sealed webhook secrets stay valid).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Env = Record<string, string | undefined>;

export const DEV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/whatisup';
export const DEV_REDIS_URL = 'redis://127.0.0.1:6379';

/** `generated` names the secrets created by this call (first start); reused ones are not listed. */
export function withDevelopmentDefaults(env: Env): { env: Env; generated: string[] } {
  if ((env.NODE_ENV ?? 'development') === 'production') return { env, generated: [] };
  const out: Env = { ...env };
  out.DATABASE_URL ??= DEV_DATABASE_URL;
  out.REDIS_URL ??= DEV_REDIS_URL;
  const generated: string[] = [];
  if (out.API_KEY_PEPPER === undefined || out.SECRETS_KEY === undefined) {
    const file = path.resolve(out.DATA_DIR ?? './.data', 'dev-secrets.json');
    const stored = readStored(file);
    const secrets = {
      API_KEY_PEPPER: stored.API_KEY_PEPPER ?? randomBytes(32).toString('hex'),
      SECRETS_KEY: stored.SECRETS_KEY ?? randomBytes(32).toString('base64'),
    };
    if (!stored.API_KEY_PEPPER || !stored.SECRETS_KEY) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
      if (!stored.API_KEY_PEPPER && out.API_KEY_PEPPER === undefined) generated.push('API_KEY_PEPPER');
      if (!stored.SECRETS_KEY && out.SECRETS_KEY === undefined) generated.push('SECRETS_KEY');
    }
    out.API_KEY_PEPPER ??= secrets.API_KEY_PEPPER;
    out.SECRETS_KEY ??= secrets.SECRETS_KEY;
  }
  return { env: out, generated };
}

function readStored(file: string): { API_KEY_PEPPER?: string; SECRETS_KEY?: string } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { API_KEY_PEPPER?: string; SECRETS_KEY?: string };
  } catch {
    return {};
  }
}
