/*
 * First start in development: when the database has no customer, create one and print a usable API key and
 * a ready-to-paste curl line, once. Never in production (customers are created with the CLI there). The
 * server does this on its own, not an operator at the CLI, so the audit log records it as `system`.
 */
import type { Logger } from 'pino';
import type { Actor, UnitOfWork } from '@whatisup/core';
import type { Config } from '../config/load-config.js';
import type { Tenancy } from './create-tenancy.js';

const SYSTEM: Actor = { type: 'system' };

export async function bootstrapDevelopment(
  config: Pick<Config, 'nodeEnv' | 'publicUrl'>,
  deps: { readonly uow: UnitOfWork; readonly useCases: Tenancy['useCases'] },
  logger: Logger,
  print: (text: string) => void,
): Promise<void> {
  if (config.nodeEnv === 'production') return;
  if (await deps.uow.repos.customers.any()) return;
  const customer = await deps.useCases.createCustomer({ name: 'Development' }, SYSTEM);
  const { apiKey, key } = await deps.useCases.createApiKey(
    { customerId: customer.id, name: 'first development key' },
    SYSTEM,
  );
  logger.info({ customer_id: customer.id, key_id: apiKey.id }, 'created the first development customer and key');
  print(
    [
      '',
      'WhatIsUp created a development customer and an API key. The key is shown once:',
      '',
      `  ${key}`,
      '',
      'Try it:',
      `  curl -s -H 'Authorization: Bearer ${key}' ${config.publicUrl}/v1/instances`,
      '',
    ].join('\n'),
  );
}
