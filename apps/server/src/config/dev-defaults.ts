/*
 * Development conveniences, never applied when NODE_ENV=production: a local database and Redis by default,
 * and secrets generated once and kept in DATA_DIR/dev-secrets.json (mode 0600) so `pnpm start` works on a
 * fresh machine and keeps working across restarts (keys and sealed webhook secrets stay valid).
 *
 * With NODE_ENV=development (the default) and WEBHOOK_ALLOW_CIDRS unset, webhook and media URLs may also
 * reach loopback and private networks, because a developer's receiver is almost always local. NODE_ENV=test
 * keeps the production policy so tests see what production refuses. Link-local (169.254.0.0/16, where cloud
 * metadata lives) is deliberately not in the list.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Env = Record<string, string | undefined>;

export const DEV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/whatisup';
export const DEV_REDIS_URL = 'redis://127.0.0.1:6379';
/** Loopback, RFC 1918 private and IPv6 unique-local ranges. */
export const DEV_WEBHOOK_ALLOW_CIDRS = '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7';

/**
 * `generated` names the secrets created by this call (first start); reused ones are not listed.
 * `defaulted` names the variables this call filled in with a development default.
 */
export function withDevelopmentDefaults(env: Env): { env: Env; generated: string[]; defaulted: string[] } {
  if ((env.NODE_ENV ?? 'development') === 'production') return { env, generated: [], defaulted: [] };
  const out: Env = { ...env };
  const defaulted: string[] = [];
  const fill = (name: string, value: string) => {
    if (out[name] !== undefined) return;
    out[name] = value;
    defaulted.push(name);
  };
  fill('DATABASE_URL', DEV_DATABASE_URL);
  fill('REDIS_URL', DEV_REDIS_URL);
  if ((out.NODE_ENV ?? 'development') === 'development') fill('WEBHOOK_ALLOW_CIDRS', DEV_WEBHOOK_ALLOW_CIDRS);

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
  return { env: out, generated, defaulted };
}

function readStored(file: string): { API_KEY_PEPPER?: string; SECRETS_KEY?: string } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { API_KEY_PEPPER?: string; SECRETS_KEY?: string };
  } catch {
    return {};
  }
}
