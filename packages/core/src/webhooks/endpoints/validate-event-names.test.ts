import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/index.js';
import { EVENT_NAMES } from '../../events/index.js';
import { validateEventNames } from './validate-event-names.js';

function errorOf(list: readonly string[]): DomainError {
  try {
    validateEventNames(list);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('validateEventNames', () => {
  it('accepts every known event name', () => {
    expect(validateEventNames(EVENT_NAMES)).toEqual([...EVENT_NAMES]);
  });

  it('removes duplicates and keeps the order given', () => {
    expect(validateEventNames(['message.read', 'message.sent', 'message.read'])).toEqual(['message.read', 'message.sent']);
  });

  it('accepts a family wildcard for each family of events', () => {
    expect(validateEventNames(['message.*', 'instance.*', 'qr.*', 'webhook.*'])).toEqual(['message.*', 'instance.*', 'qr.*', 'webhook.*']);
  });

  it('reduces a list containing * to just *', () => {
    expect(validateEventNames(['message.sent', '*'])).toEqual(['*']);
  });

  it('refuses unknown names with invalid_input naming them', () => {
    const error = errorOf(['message.sent', 'message.deleted', 'messages.*']);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Unknown event names: "message.deleted", "messages.*".');
    expect(error.details).toMatchObject({ field: 'events', unknown: ['message.deleted', 'messages.*'] });
  });

  it('keeps the message short when a caller sends many or long unknown names', () => {
    const error = errorOf([...Array.from({ length: 50 }, (_, i) => `bogus.${i}`), 'x'.repeat(10_000)]);
    expect(error.message).toContain('and 41 more');
    expect(error.message.length).toBeLessThan(400);
  });

  it('refuses an empty list', () => {
    const error = errorOf([]);
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ field: 'events' });
  });
});
