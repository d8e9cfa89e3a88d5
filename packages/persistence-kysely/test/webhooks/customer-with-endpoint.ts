import type { Repositories } from '@whatisup/core';
import { aCustomer, aWebhookEndpoint } from '@whatisup/core/testing';

/** A fresh customer with one endpoint, for tests that need somewhere to hang deliveries. */
export async function aCustomerWithEndpoint(repos: Repositories): Promise<{ customerId: string; endpointId: string }> {
  const customer = await repos.customers.create(aCustomer());
  const endpoint = await repos.webhookEndpoints.create(aWebhookEndpoint(customer.id));
  return { customerId: customer.id, endpointId: endpoint.id };
}
