/*
 * Runs one parsed CLI command against the configured database. Output goes to `out` (JSON with --json,
 * else a line for people); problems go to `err`. Actions are audited with actor `cli` by the use cases.
 */
import { isDomainError, type Actor } from '@whatisup/core';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { createFoundation } from '../compose/create-foundation.js';
import { createTenancy, NO_SESSIONS } from '../compose/create-tenancy.js';
import { prepareDatabase } from '../compose/prepare-database.js';
import type { Command } from './parse-command.js';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const CLI: Actor = { type: 'cli' };

type DataCommand = Exclude<Command, { name: 'help' | 'serve' | 'worker' | 'migrate' | 'secrets rotate' | 'credentials move-to-postgres' }>;

/** Runs a command that reads or writes data. Returns the process exit code. */
export async function runDataCommand(command: DataCommand, config: Config, logger: Logger, io: CliIo): Promise<number> {
  await prepareDatabase(config, logger, { migrate: true });
  const foundation = createFoundation(config, logger);
  const tenancy = createTenancy(config, logger, { uow: foundation.uow, clock: foundation.clock, sessions: NO_SESSIONS });
  const { useCases } = tenancy;
  try {
    switch (command.name) {
      case 'customer create': {
        const customer = await useCases.createCustomer({ name: command.customerName }, CLI);
        print(io, command.json, { id: customer.id, name: customer.name, created_at: customer.createdAt.toISOString() },
          `Created customer ${customer.id} (${customer.name})`);
        return 0;
      }
      case 'customer list': {
        const customers = await useCases.listCustomers({}, CLI);
        const data = customers.map((c) => ({ id: c.id, name: c.name, created_at: c.createdAt.toISOString() }));
        if (command.json) io.out(JSON.stringify({ data }));
        else if (data.length === 0) io.out('No customers yet. Create one: whatisup customer create --name NAME');
        else for (const c of data) io.out(`${c.id}  ${c.created_at}  ${c.name}`);
        return 0;
      }
      case 'key create': {
        const { apiKey, key } = await useCases.createApiKey(
          { customerId: command.customerId, instanceId: command.instanceId, name: command.keyName, expiresAt: command.expiresAt },
          CLI,
        );
        print(
          io,
          command.json,
          {
            id: apiKey.id,
            key,
            prefix: apiKey.prefix,
            customer_id: apiKey.customerId,
            instance_id: apiKey.instanceId,
            expires_at: apiKey.expiresAt?.toISOString() ?? null,
          },
          `Created API key ${apiKey.id}. It is shown once; store it now:\n${key}`,
        );
        return 0;
      }
      case 'key revoke': {
        const apiKey = await useCases.revokeApiKey({ id: command.id }, CLI);
        print(io, command.json, { id: apiKey.id, revoked_at: apiKey.revokedAt?.toISOString() ?? null },
          `Revoked API key ${apiKey.id}`);
        return 0;
      }
    }
  } catch (error) {
    if (isDomainError(error)) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await tenancy.close();
    await foundation.close();
  }
}

function print(io: CliIo, json: boolean, data: Record<string, unknown>, human: string): void {
  io.out(json ? JSON.stringify(data) : human);
}
