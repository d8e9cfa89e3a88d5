/*
 * A customer and an API key made with the real CLI (`whatisup customer create`, `whatisup key create`), as an
 * operator does. Customers exist only through the CLI: there is no admin path over HTTP.
 */
import { runCli } from './processes.js';

export interface CustomerWithKey {
  readonly customerId: string;
  readonly key: string;
}

async function cliJson(args: string[], env: Record<string, string>): Promise<Record<string, string>> {
  const result = await runCli([...args, '--json'], env);
  if (result.code !== 0) throw new Error(`whatisup ${args.join(' ')} exited with ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string>;
}

/** Creates a customer named `name` and one unbound key for it; rejects with the CLI's stderr on failure. */
export async function createCustomerWithKey(env: Record<string, string>, name: string): Promise<CustomerWithKey> {
  const customer = await cliJson(['customer', 'create', '--name', name], env);
  const created = await cliJson(['key', 'create', '--customer', customer.id!], env);
  return { customerId: customer.id!, key: created.key! };
}
