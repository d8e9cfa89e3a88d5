/*
 * The operator CLI's grammar: `whatisup <command> [subcommand] [--flags]`. Parsing is strict (an unknown
 * flag, a missing value or a stray argument is a usage error) and separate from running, so it is tested
 * without a database.
 */
import { parseArgs } from 'node:util';

export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'migrate' }
  | { readonly name: 'serve'; readonly worker: boolean }
  | { readonly name: 'worker' }
  | { readonly name: 'customer create'; readonly customerName: string; readonly json: boolean }
  | { readonly name: 'customer list'; readonly json: boolean }
  | {
      readonly name: 'key create';
      readonly customerId: string;
      readonly instanceId: string | null;
      readonly keyName: string | null;
      readonly expiresAt: Date | null;
      readonly json: boolean;
    }
  | { readonly name: 'key revoke'; readonly id: string; readonly json: boolean }
  | { readonly name: 'secrets rotate'; readonly json: boolean }
  | { readonly name: 'credentials move-to-postgres'; readonly json: boolean };

export const USAGE = `Usage: whatisup <command> [options]

Commands:
  migrate                                   Apply pending database migrations
  serve [--no-worker]                       Run the server: API, sessions and the webhook delivery worker
                                            (--no-worker: leave deliveries to separate worker processes)
  worker                                    Run only the webhook delivery worker (health and metrics on
                                            WORKER_PORT; needs no API_KEY_PEPPER)
  customer create --name NAME [--json]      Create a customer
  customer list [--json]                    List customers
  key create --customer ID [--instance ID] [--name NAME] [--expires-at ISO-8601] [--json]
                                            Create an API key (printed once)
  key revoke --id ID [--json]               Revoke an API key
  secrets rotate [--json]                   Re-encrypt webhook signing secrets and WhatsApp credentials
                                            under SECRETS_KEY
  credentials move-to-postgres [--json]     Move WhatsApp credentials from DATA_DIR files into Postgres
                                            (run with every server stopped, before WHATSAPP_CREDENTIALS=postgres)
  help                                      Show this message

Configuration comes from the environment (see docs/configuration.md).`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Flags = Record<string, { type: 'string' | 'boolean' }>;

function parseFlags(args: string[], flags: Flags): Record<string, string | boolean | undefined> {
  try {
    const { values, positionals } = parseArgs({ args, options: flags, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

function required(values: Record<string, unknown>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${flag} is required`);
  return value.trim();
}

function optional(values: Record<string, unknown>, flag: string): string | null {
  const value = values[flag];
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${flag} needs a value`);
  return value.trim();
}

const json = { json: { type: 'boolean' } } as const;

export function parseCommand(argv: readonly string[]): Command {
  const [first, second, ...rest] = argv;
  switch (first) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
    case 'migrate':
    case 'worker':
      parseFlags(argv.slice(1), {});
      return { name: first };
    case 'serve': {
      const values = parseFlags(argv.slice(1), { 'no-worker': { type: 'boolean' } });
      return { name: 'serve', worker: values['no-worker'] !== true };
    }
    case 'customer':
      if (second === 'create') {
        const values = parseFlags(rest, { name: { type: 'string' }, ...json });
        return { name: 'customer create', customerName: required(values, 'name'), json: values.json === true };
      }
      if (second === 'list') {
        const values = parseFlags(rest, json);
        return { name: 'customer list', json: values.json === true };
      }
      throw new UsageError(second ? `unknown customer command: ${second}` : 'customer needs a command: create or list');
    case 'key':
      if (second === 'create') {
        const values = parseFlags(rest, {
          customer: { type: 'string' },
          instance: { type: 'string' },
          name: { type: 'string' },
          'expires-at': { type: 'string' },
          ...json,
        });
        const expires = optional(values, 'expires-at');
        const expiresAt = expires === null ? null : new Date(expires);
        if (expiresAt !== null && (Number.isNaN(expiresAt.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(expires!))) {
          throw new UsageError('--expires-at must be an ISO-8601 time, e.g. 2027-01-31T00:00:00Z');
        }
        return {
          name: 'key create',
          customerId: required(values, 'customer'),
          instanceId: optional(values, 'instance'),
          keyName: optional(values, 'name'),
          expiresAt,
          json: values.json === true,
        };
      }
      if (second === 'revoke') {
        const values = parseFlags(rest, { id: { type: 'string' }, ...json });
        return { name: 'key revoke', id: required(values, 'id'), json: values.json === true };
      }
      throw new UsageError(second ? `unknown key command: ${second}` : 'key needs a command: create or revoke');
    case 'secrets':
      if (second === 'rotate') {
        const values = parseFlags(rest, json);
        return { name: 'secrets rotate', json: values.json === true };
      }
      throw new UsageError(second ? `unknown secrets command: ${second}` : 'secrets needs a command: rotate');
    case 'credentials':
      if (second === 'move-to-postgres') {
        const values = parseFlags(rest, json);
        return { name: 'credentials move-to-postgres', json: values.json === true };
      }
      throw new UsageError(second ? `unknown credentials command: ${second}` : 'credentials needs a command: move-to-postgres');
    default:
      throw new UsageError(`unknown command: ${first}`);
  }
}
