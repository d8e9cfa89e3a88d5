import { newId, type NewMessage, type Repositories } from '@whatisup/core';
import { aCustomer, anInstance } from '@whatisup/core/testing';

export function aNewMessage(customerId: string, instanceId: string, overrides: Partial<NewMessage> = {}): NewMessage {
  const at = new Date(Date.now());
  return {
    id: newId('message'),
    customerId,
    instanceId,
    recipient: '4915112345678@s.whatsapp.net',
    body: { type: 'text', text: 'hello' },
    replyTo: null,
    clientRef: null,
    idempotencyKey: null,
    requestHash: 'hash',
    status: 'queued',
    whatsappId: null,
    error: null,
    attemptCount: 0,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** A fresh customer with one instance to send from. */
export async function anInstanceToSendFrom(repos: Repositories): Promise<{ customerId: string; instanceId: string }> {
  const customer = await repos.customers.create(aCustomer());
  const instance = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
  return { customerId: customer.id, instanceId: instance.id };
}
