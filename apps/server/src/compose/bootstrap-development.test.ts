import { createUseCaseHarness } from '@whatisup/core/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { bootstrapDevelopment } from './bootstrap-development.js';

const config = { nodeEnv: 'development', publicUrl: 'http://localhost:3000' } as const;

describe('bootstrapDevelopment', () => {
  it('audits the first customer and key as the system, not the CLI', async () => {
    const harness = createUseCaseHarness();
    const printed: string[] = [];
    await bootstrapDevelopment(config, { uow: harness.uow, useCases: harness }, pino({ level: 'silent' }), (text) => printed.push(text));

    const [customer] = await harness.listCustomers();
    const events = (await harness.repos.audit.list(customer!.id, { limit: 10 })).data;
    expect(events.map((event) => [event.action, event.actor])).toEqual(
      expect.arrayContaining([
        ['customer.created', { type: 'system' }],
        ['api_key.created', { type: 'system' }],
      ]),
    );
    expect(events).toHaveLength(2);
    expect(printed.join('')).toContain('wiu_');
  });
});
