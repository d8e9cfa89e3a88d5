import { afterEach, beforeEach } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import type { Tenant, TestApp } from './build-test-app.js';
import { buildTestAppWithTenant } from './build-test-app-with-tenant.js';

export interface ConnectedMessageApp {
  subject: TestApp<{ clock: FakeClock; messages: true }>;
  tenant: Tenant;
  instanceId: string;
}

/**
 * For a describe block: before each test a fresh app with the message routes on a fake clock, one customer
 * and one connected instance of theirs; the app is closed after each test. Read the fields inside tests only.
 */
export function useConnectedMessageApp(): ConnectedMessageApp {
  const current = {} as ConnectedMessageApp;
  beforeEach(async () => {
    Object.assign(current, await buildTestAppWithTenant({ clock: createFakeClock(), messages: true }, { status: 'connected' }));
  });
  afterEach(async () => current.subject.app.close());
  return current;
}
