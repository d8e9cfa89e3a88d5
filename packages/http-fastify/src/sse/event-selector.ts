import type { EventName, Principal, PublishedEvent } from '@whatisup/core';

/** Which events one stream sends: always the caller's customer, then its instance scope and filters. */
export interface EventSelection {
  readonly customerId: string;
  /** From an instance-bound key or token, or `?instance_id=`; null: every instance. */
  readonly instanceId: string | null;
  /** From `?events=`; null: every event. */
  readonly events: ReadonlySet<EventName> | null;
}

export function selectionFor(principal: Principal, query: { instanceId: string | null; events: readonly EventName[] | null }): EventSelection {
  return {
    customerId: principal.customerId,
    instanceId: principal.instanceId ?? query.instanceId,
    events: query.events === null ? null : new Set(query.events),
  };
}

export function isSelected(selection: EventSelection, event: PublishedEvent): boolean {
  if (event.customerId !== selection.customerId) return false;
  if (selection.instanceId !== null && event.envelope.instance_id !== selection.instanceId) return false;
  return selection.events === null || selection.events.has(event.envelope.event);
}
