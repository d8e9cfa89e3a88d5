/*
 * A server started outside production on an empty database creates a customer and prints its first API key
 * (docs/configuration.md, "Development defaults"). Reading that key is the cheapest way for an end-to-end
 * test to get one: no CLI process to spawn per customer and key.
 */
import type { ServerProcess } from './processes.js';
import { until } from '@whatisup/test-infra';

const KEY = /wiu_[a-z2-7]{16}_[A-Za-z0-9_-]{43}/;

/** The key the server printed at its first start; rejects if none appears within `timeoutMs`. */
export async function bootstrapKeyOf(server: ServerProcess, timeoutMs = 15_000): Promise<string> {
  await until(() => KEY.test(server.output()), {
    timeoutMs,
    message: () => `the server printed no development API key:\n${server.output().slice(-2000)}`,
  });
  return KEY.exec(server.output())![0];
}
