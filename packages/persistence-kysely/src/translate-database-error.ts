/*
 * The one place where Postgres errors become domain errors. Every repository this package makes is
 * wrapped with `withDatabaseErrors`, so a unique violation anywhere surfaces as `DomainError('conflict')`
 * with a message safe to show an API caller: no SQL, no constraint internals, no key values. Anything not
 * listed here is rethrown untouched for the edge to log and answer as a bare 500.
 *
 * Inside a transaction, a translated error still aborts the transaction: catching it and issuing more
 * statements fails with "current transaction is aborted". Let it propagate.
 */
import { DomainError } from '@whatisup/core';

interface DriverError {
  readonly code: string;
  readonly constraint?: string;
}

const CONFLICTS: Record<string, { message: string; details?: Record<string, unknown> }> = {
  customers_pkey: { message: 'A customer with this id already exists.' },
  instances_pkey: { message: 'An instance with this id already exists.' },
  instances_customer_name_live: { message: 'An instance with this name already exists.', details: { field: 'name' } },
  api_keys_pkey: { message: 'An API key with this id or prefix exists.' },
  api_keys_prefix_key: { message: 'An API key with this id or prefix exists.' },
  webhook_endpoints_pkey: { message: 'A webhook endpoint with this id already exists.' },
  webhook_deliveries_pkey: { message: 'This delivery exists already.' },
  webhook_deliveries_event_endpoint: { message: 'This event was already recorded for this endpoint.' },
  webhook_delivery_attempts_pkey: { message: 'An attempt with this id already exists.' },
};

export function translateDatabaseError(error: unknown): unknown {
  if (!isDriverError(error)) return error;
  switch (error.code) {
    case '23505': {
      const known = error.constraint === undefined ? undefined : CONFLICTS[unpartitioned(error.constraint)];
      return new DomainError('conflict', known?.message ?? 'The resource already exists.', known?.details);
    }
    case '23503':
      return new DomainError('not_found', 'A resource this refers to does not exist.');
    case '23514':
    case '22001':
    case '22P02':
      return new DomainError('invalid_input', 'A value is out of the allowed range or format.');
    // Postgres' own recursion limit, e.g. parsing a deeply nested jsonb value.
    case '54001':
      return new DomainError('invalid_input', 'A value is nested too deeply to be stored.');
    // NUL characters (in text, or \u0000 in jsonb) cannot be stored by Postgres at all.
    case '22021':
    case '22P05':
      return new DomainError('invalid_input', 'A value contains a character that cannot be stored (NUL, \\u0000).');
    default:
      return error;
  }
}

/** Wraps every method of `target` so that driver errors leave it translated. */
export function withDatabaseErrors<T extends object>(target: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(target)) {
    wrapped[key] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } catch (error) {
              throw translateDatabaseError(error);
            }
          }
        : value;
  }
  return wrapped as T;
}

/**
 * A partition's index reports its own name (`webhook_deliveries_p20261201_pkey`); the table's name
 * without the partition part is what the conflict catalogue knows.
 */
function unpartitioned(constraint: string): string {
  return constraint.replace(/_(?:p\d{8}|default)(?=_)/, '');
}

function isDriverError(error: unknown): error is DriverError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
