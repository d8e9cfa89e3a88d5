/*
 * Builders for domain records in tests. Every call makes fresh ids, names and prefixes, so tests can share
 * one database without colliding.
 */
import { randomBytes } from 'node:crypto';
import { newId, type Principal } from '../shared/index.js';
import { generateApiKey, type StoredApiKey, type Customer } from '../tenancy/index.js';
import type { Instance } from '../instances/index.js';

/** Whole milliseconds, as Postgres round-trips them. */
const now = (): Date => new Date(Date.now());

export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  const id = newId('customer');
  return { id, name: `Customer ${id.slice(-6)}`, createdAt: now(), ...overrides };
}

export function anInstance(customerId: string, overrides: Partial<Instance> = {}): Instance {
  const id = newId('instance');
  const at = now();
  return {
    id,
    customerId,
    name: `instance-${id.slice(-8)}`,
    kind: 'whatsapp',
    status: 'pending',
    statusReason: null,
    phoneNumber: null,
    lastSeenAt: null,
    metadata: {},
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    ...overrides,
  };
}

export function aStoredApiKey(customerId: string, overrides: Partial<StoredApiKey> = {}): StoredApiKey {
  return {
    id: newId('apiKey'),
    customerId,
    instanceId: null,
    name: null,
    parentKeyId: null,
    prefix: generateApiKey().prefix,
    secretHash: randomBytes(32),
    createdAt: now(),
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    ...overrides,
  };
}

export function aPrincipal(customerId: string, overrides: Partial<Principal> = {}): Principal {
  return { customerId, keyId: newId('apiKey'), instanceId: null, ...overrides };
}
