import { isDomainError, type Repositories } from '@whatisup/core';
import { aCustomer, aNewMessage, anInstance } from '@whatisup/core/testing';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories, MAX_STORED_JSON_DEPTH, type Database } from '../src/index.js';
import { useTestKysely } from './use-test-kysely.js';

let db: Kysely<Database>;
let repos: Repositories;

useTestKysely({ max: 2 }, (opened) => {
  ({ db } = opened);
  repos = createKyselyRepositories(db);
});

/** `{ a: { a: ... { a: 1 } } }`, `depth` objects deep, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < depth; i += 1) value = { a: value };
  return value;
}

const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('JSON nested beyond the stored bound', () => {
  // Deep enough that JSON.stringify overflows the stack: before the bound this was a RangeError, a 500.
  const tooDeep = nested(200_000);

  it('is refused as invalid_input in instance metadata, and the bound itself is stored and read back', async () => {
    const customer = await repos.customers.create(aCustomer());
    const error = await errorOf(repos.instances.create(anInstance(customer.id, { metadata: tooDeep })));
    expect(isDomainError(error, 'invalid_input') && error.details).toMatchObject({ field: 'metadata', max_depth: MAX_STORED_JSON_DEPTH });
    const justFits = nested(MAX_STORED_JSON_DEPTH);
    const stored = await repos.instances.create(anInstance(customer.id, { metadata: justFits }));
    expect((await repos.instances.findById(customer.id, stored.id))?.metadata).toEqual(justFits);
    expect(await errorOf(repos.instances.create(anInstance(customer.id, { metadata: nested(MAX_STORED_JSON_DEPTH + 1) })))).toMatchObject({
      code: 'invalid_input',
    });
  });

  it('is refused as invalid_input in audit data and message bodies', async () => {
    const customer = await repos.customers.create(aCustomer());
    const instance = await repos.instances.create(anInstance(customer.id));
    const audit = repos.audit.append({
      customerId: customer.id,
      actor: { type: 'system' },
      action: 'instance.updated',
      targetType: 'instance',
      targetId: instance.id,
      instanceId: instance.id,
      data: tooDeep,
      occurredAt: new Date(),
    });
    expect(await errorOf(audit)).toMatchObject({ code: 'invalid_input', details: { field: 'data' } });
    const body = { type: 'text', text: 'hi', extra: tooDeep } as unknown as ReturnType<typeof aNewMessage>['body'];
    expect(await errorOf(repos.messages.stage(aNewMessage(customer.id, instance.id, { body })))).toMatchObject({
      code: 'invalid_input',
      details: { field: 'body' },
    });
  });
});
