import { buildTestApp, type NewInstanceOptions, type Tenant, type TestApp, type TestAppOptions } from './build-test-app.js';

/** A new app and one customer with an unbound key: how most tests begin. */
export async function buildTestAppWithTenant<const O extends TestAppOptions>(
  options: O,
): Promise<{ subject: TestApp<O>; tenant: Tenant }>;
/** A new app, one customer with an unbound key, and one instance of theirs made with `instance`. */
export async function buildTestAppWithTenant<const O extends TestAppOptions>(
  options: O,
  instance: NewInstanceOptions,
): Promise<{ subject: TestApp<O>; tenant: Tenant; instanceId: string }>;
export async function buildTestAppWithTenant(options: TestAppOptions, instance?: NewInstanceOptions) {
  const subject = await buildTestApp(options);
  const tenant = await subject.newCustomer();
  if (instance === undefined) return { subject, tenant };
  return { subject, tenant, instanceId: await subject.newInstance(tenant.auth, instance) };
}
