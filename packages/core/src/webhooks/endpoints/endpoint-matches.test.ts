import { describe, expect, it } from 'vitest';
import { endpointMatches } from './endpoint-matches.js';

const received = { name: 'message.received', instanceId: 'inst_a' } as const;

describe('endpointMatches', () => {
  it('matches an exact event name', () => {
    expect(endpointMatches({ events: ['message.received'], instanceId: null }, received)).toBe(true);
    expect(endpointMatches({ events: ['message.sent', 'message.read'], instanceId: null }, received)).toBe(false);
  });

  it('matches every event with *', () => {
    expect(endpointMatches({ events: ['*'], instanceId: null }, received)).toBe(true);
    expect(endpointMatches({ events: ['*'], instanceId: null }, { name: 'qr.updated', instanceId: 'inst_b' })).toBe(true);
  });

  it('matches a family wildcard: message.* takes every message. event and nothing else', () => {
    expect(endpointMatches({ events: ['message.*'], instanceId: null }, received)).toBe(true);
    expect(endpointMatches({ events: ['message.*'], instanceId: null }, { name: 'instance.connected', instanceId: 'inst_a' })).toBe(false);
    expect(endpointMatches({ events: ['instance.*'], instanceId: null }, received)).toBe(false);
  });

  it('takes other spellings literally: no free prefix patterns', () => {
    expect(endpointMatches({ events: ['message', 'message.re*', 'mess*'], instanceId: null }, received)).toBe(false);
  });

  it('limits an instance-bound endpoint to its instance', () => {
    expect(endpointMatches({ events: ['*'], instanceId: 'inst_a' }, received)).toBe(true);
    expect(endpointMatches({ events: ['*'], instanceId: 'inst_b' }, received)).toBe(false);
  });

  it('sends an event of no instance to unbound endpoints only', () => {
    const test = { name: 'webhook.test', instanceId: null } as const;
    expect(endpointMatches({ events: ['*'], instanceId: null }, test)).toBe(true);
    expect(endpointMatches({ events: ['*'], instanceId: 'inst_a' }, test)).toBe(false);
  });
});
