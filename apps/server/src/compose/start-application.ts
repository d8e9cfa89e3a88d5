/*
 * The composition root: the one place that creates adapters. It builds what the role needs, starts it,
 * and returns a stop function that closes everything in reverse order of creation.
 */
import { buildHttpApp } from '@whatisup/http-fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { createFoundation, type Foundation } from './create-foundation.js';

export type Role = 'all' | 'api' | 'worker';

export interface RunningApplication {
  readonly foundation: Foundation;
  /** The HTTP address when the role serves HTTP, e.g. http://127.0.0.1:3000. */
  readonly address: string | null;
  stop(): Promise<void>;
}

const LAST_USED_FLUSH_MS = 10_000;

export async function startApplication(config: Config, logger: Logger, options: { role: Role }): Promise<RunningApplication> {
  const stops: Array<() => Promise<void>> = [];
  const foundation = createFoundation(config, logger);
  stops.push(() => foundation.close());

  let address: string | null = null;
  try {
    if (options.role !== 'worker') {
      const flush = setInterval(() => {
        foundation.authenticator.flushLastUsed().catch((error) => logger.warn({ err: error }, 'could not record key use'));
      }, LAST_USED_FLUSH_MS);
      flush.unref();
      stops.push(async () => clearInterval(flush));

      const http = await buildHttpApp({
        useCases: foundation.useCases,
        authenticator: foundation.authenticator,
        logger: logger.child({ component: 'http' }),
        bodyLimitBytes: config.http.bodyLimitBytes,
        info: { title: 'WhatIsUp API', version: '1.0.0', publicUrl: config.publicUrl },
        readiness: async () => ({ postgres: await ping(foundation) }),
      });
      address = await http.listen({ port: config.port, host: config.host });
      logger.info({ address, role: options.role }, 'listening');
      stops.push(() => http.close());
    }
  } catch (error) {
    await stopAll(stops, logger);
    throw error;
  }

  return {
    foundation,
    address,
    stop: () => stopAll(stops, logger),
  };
}

async function ping(foundation: Foundation): Promise<boolean> {
  try {
    await foundation.uow.repos.customers.any();
    return true;
  } catch {
    return false;
  }
}

async function stopAll(stops: Array<() => Promise<void>>, logger: Logger): Promise<void> {
  for (const stop of stops.reverse()) {
    await stop().catch((error) => logger.error({ err: error }, 'error while stopping'));
  }
}
