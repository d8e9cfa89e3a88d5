import { DomainError } from '../../shared/index.js';
import { EVENT_NAMES, isEventName } from '../../events/index.js';
import type { EventSelector } from './endpoint-matches.js';

/** `message.*`, `instance.*`, ...: one per family of EVENT_NAMES. */
export const EVENT_FAMILY_SELECTORS: readonly string[] = [...new Set(EVENT_NAMES.map((name) => `${name.slice(0, name.indexOf('.'))}.*`))];

const isSelector = (name: string): boolean => name === '*' || isEventName(name) || EVENT_FAMILY_SELECTORS.includes(name);

const SHOWN_MAX = 10;
const SHOWN_LENGTH = 64;

/**
 * Checks an endpoint's events list from the API and returns it normalised: duplicates removed, order
 * kept, and `['*']` when it contains `*` (the wildcard subsumes every name). Exact names, family wildcards
 * (`message.*`) and `*` are accepted; no other patterns. Throws `DomainError('invalid_input')` with `details.field = 'events'` when the
 * list is empty or names unknown events (`details.unknown`, the message names them too, cut short).
 */
export function validateEventNames(list: readonly string[]): EventSelector[] {
  if (list.length === 0) {
    throw new DomainError('invalid_input', 'events must name at least one event, or "*" for all of them.', {
      field: 'events',
      allowed: ['*', ...EVENT_FAMILY_SELECTORS, ...EVENT_NAMES],
    });
  }
  const unknown = list.filter((name) => !isSelector(name));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, SHOWN_MAX).map((name) => JSON.stringify(name.slice(0, SHOWN_LENGTH)));
    const more = unknown.length > SHOWN_MAX ? ` and ${unknown.length - SHOWN_MAX} more` : '';
    throw new DomainError('invalid_input', `Unknown event names: ${shown.join(', ')}${more}.`, {
      field: 'events',
      unknown: unknown.slice(0, SHOWN_MAX).map((name) => name.slice(0, SHOWN_LENGTH)),
      allowed: ['*', ...EVENT_FAMILY_SELECTORS, ...EVENT_NAMES],
    });
  }
  if (list.includes('*')) return ['*'];
  return [...new Set(list as readonly EventSelector[])];
}
