/*
 * Receipts a sandbox instance still owes when its session connects. The simulated phone keeps pending
 * receipts as timers, which die with the process (kill -9, a crash) or with the session (close, restart); the
 * messages table is the durable record of where each message stands. So on every connect the session reads
 * the instance's messages still `sent` or `delivered` and plays the rest of their timetable, measured from
 * when the message reached its current status (`updatedAt`): `delivered` two `receiptDelayMs` after `sent`
 * (the server ack would have come first, one delay after the send), `read` one delay after `delivered`.
 * Overdue receipts are emitted at once. `read` is scheduled only once `delivered` was emitted, so the two
 * can never swap (a `read` first would make the `delivered` a no-op and lose its event).
 */
import type { Message, MessageRepository, MessageStatusUpdate } from '@whatisup/core';
import { STATUS_BROADCAST_JID, toChatJid } from '@whatisup/core';

/** What the sandbox reads of the messages table: the narrow part of the message repository port. */
export type SandboxMessageSource = Pick<MessageRepository, 'listAwaitingReceipts'>;

export interface ReplayOwedReceiptsDeps {
  readonly instanceId: string;
  readonly messages: SandboxMessageSource;
  readonly receiptDelayMs: number;
  readonly now: () => Date;
  /** Runs `step` after `ms` on a timer the session owns (cleared on close). */
  readonly later: (ms: number, step: () => void | Promise<void>) => void;
  readonly emit: (update: MessageStatusUpdate) => void;
  /** WhatsApp ids this session already has receipts scheduled for: skipped, and added when scheduled here. */
  readonly scheduled: Set<string>;
  /** False once the session closed: stop reading. */
  readonly isOpen: () => boolean;
  readonly pageSize?: number;
}

const RETRIES = 5;

export async function replayOwedReceipts(deps: ReplayOwedReceiptsDeps): Promise<void> {
  const { receiptDelayMs } = deps;
  const limit = deps.pageSize ?? 500;
  const wait = (due: number) => Math.max(0, due - deps.now().getTime());

  const receipt = (message: Message & { whatsappId: string }, status: 'delivered' | 'read'): void => {
    if (status === 'read') deps.scheduled.delete(message.whatsappId);
    deps.emit({ whatsappId: message.whatsappId, chatId: toChatJid(message.recipient), status, at: deps.now() });
  };
  const schedule = (message: Message & { whatsappId: string }): void => {
    // A status post takes no receipts in the sandbox (its views are injected).
    if (message.recipient === STATUS_BROADCAST_JID) return;
    const since = message.updatedAt.getTime();
    if (message.status === 'delivered') {
      deps.later(wait(since + receiptDelayMs), () => receipt(message, 'read'));
      return;
    }
    deps.later(wait(since + 2 * receiptDelayMs), () => {
      receipt(message, 'delivered');
      deps.later(wait(since + 3 * receiptDelayMs), () => receipt(message, 'read'));
    });
  };

  let afterSeq: number | null = null;
  let failures = 0;
  while (deps.isOpen()) {
    let page: Message[];
    try {
      page = await deps.messages.listAwaitingReceipts(deps.instanceId, { afterSeq, limit });
    } catch {
      // The database may be briefly unreachable right after a restart: try again a few times, then give up
      // (the next connect tries again).
      failures += 1;
      if (failures > RETRIES) return;
      await new Promise<void>((resolve) => deps.later(Math.max(receiptDelayMs, 1_000), resolve));
      continue;
    }
    if (!deps.isOpen()) return;
    for (const message of page) {
      if (message.whatsappId === null || deps.scheduled.has(message.whatsappId)) continue;
      deps.scheduled.add(message.whatsappId);
      schedule({ ...message, whatsappId: message.whatsappId });
    }
    if (page.length < limit) return;
    afterSeq = page.at(-1)!.seq;
  }
}
