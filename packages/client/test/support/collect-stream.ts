/*
 * Reads an event stream in the background, keeping every item, so a test can wait for one and also see
 * what did not arrive.
 */
import { until } from '@whatisup/test-infra';
import type { EventStream, EventStreamOptions, StreamItem, WhatIsUpClient } from '../../src/index.js';

export interface CollectedStream {
  readonly items: readonly StreamItem[];
  /** Resolves with the first item `predicate` accepts (already read or still to come). */
  waitFor(predicate: (item: StreamItem) => boolean, what: string): Promise<StreamItem>;
  /** Resolves when the iteration ended; rejects with the error it ended with. */
  readonly ended: Promise<void>;
}

export function collect(stream: EventStream): CollectedStream {
  const items: StreamItem[] = [];
  let failure: unknown = null;
  const ended = (async () => {
    for await (const item of stream) items.push(item);
  })().catch((error: unknown) => {
    failure = error;
    throw error;
  });
  ended.catch(() => undefined);
  return {
    items,
    ended,
    waitFor: async (predicate, what) => {
      await until(
        () => {
          if (failure !== null) throw failure;
          return items.some(predicate);
        },
        { timeoutMs: 20_000, message: () => `the stream yielded no ${what}; it yielded ${items.map((i) => i.event).join(', ') || 'nothing'}` },
      );
      return items.find(predicate)!;
    },
  };
}

/** Whether `item` is a `message.*` event of the message `messageId`. */
export function isEventOf(item: StreamItem, event: string, messageId: string): boolean {
  return item.event === event && (item.data as { message_id?: string }).message_id === messageId;
}

/**
 * Opens a stream and resolves once the server has it open (so every event published from then on is on it),
 * collecting in the background.
 */
export async function openStream(client: WhatIsUpClient, options: EventStreamOptions): Promise<CollectedStream & { readonly stream: EventStream }> {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const stream = client.events.stream({ ...options, onOpen: () => open() });
  const collected = collect(stream);
  await Promise.race([opened, collected.ended]);
  return { ...collected, items: collected.items, stream };
}
