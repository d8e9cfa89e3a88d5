import type { Repositories } from '@whatisup/core';
import { aCustomer, anInstance } from '@whatisup/core/testing';

export { aNewMessage } from '@whatisup/core/testing';

/** A fresh customer with one instance to send from. */
export async function anInstanceToSendFrom(repos: Repositories): Promise<{ customerId: string; instanceId: string }> {
  const customer = await repos.customers.create(aCustomer());
  const instance = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
  return { customerId: customer.id, instanceId: instance.id };
}
