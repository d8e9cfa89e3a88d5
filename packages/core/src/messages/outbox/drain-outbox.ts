/*
 * The outbox drainer: the handler of the `outbox:<instanceId>` job, run in the process that owns the
 * instance's session. Each run claims the head of the instance's outbox (lowest `seq` still queued), sends
 * it, records the outcome, and repeats, one message at a time, so messages leave in acceptance order. It
 * never sleeps: when the pacing gap (`minGapMs` since this process last sent for the instance) has not
 * elapsed, or the head is waiting out a retry, it returns `{ deferMs }` and the queue runs it again.
 *
 * "Never sent twice by us": a message is sent only under its claim, and `markSent` stores WhatsApp's id and
 * the `sent` status in one write, so once that commits no worker can claim it again. A worker that dies
 * mid-send leaves the claim to expire (`claimTtlMs`), after which the message is claimable again.
 * The remaining window is honest at-least-once: if the process dies (or the database is unreachable) AFTER
 * WhatsApp accepted the message and BEFORE `markSent` commits, the message is still `queued` and will be
 * sent again once the claim expires. A send that timed out is the same case: it may have left, so it spends
 * an attempt and is retried a bounded number of times. Every send therefore carries our message id
 * (`idempotencyId`), from which the WhatsApp adapter derives the WhatsApp message id: a repeat is the same
 * WhatsApp message (same key), which recipients' devices keep once, not a second message.
 *
 * Failures: a socket that is down (`not_connected`) spends no attempt and waits, until the message is older
 * than `maxQueuedAgeMs` (then `failed`, code `expired`) or its instance was deleted (`instance_deleted`);
 * other retryable failures spend an attempt with exponential backoff until `maxAttempts`; permanent ones
 * fail at once. Every `failed` records `message.failed` with the code and message, every send `message.sent`.
 * A send's `message.sent` is fanned out by `markSentWithEvent` itself (one statement, no transaction: the
 * hot path's only write after the claim), and enqueued and published once that write returned.
 *
 * Outbox actions (outbox-action.ts) take their turn in the same order and under the same claim, pacing and
 * retries; performed, they become `sent` without a WhatsApp id (an edit or revoke also records
 * `message.edited` / `message.revoked`); failed, they record `action.failed`.
 *
 * On several nodes the send comes back with the session's lease fence, and `markSent` commits only while
 * that lease still holds (checked in its own statement, which keeps a takeover out until the commit): a node that lost the instance meanwhile records nothing, and the message goes
 * out from the new owner once the claim expires (same WhatsApp id, see above). A run on a node that does not
 * own the instance claims nothing (`ownedElsewhere`): it defers, and the job runs again, on whichever node
 * takes it, until the owner's does.
 */
import { randomUUID } from 'node:crypto';
import { inSpan, noTracing, type Clock, type JobOutcome, type OutboundHttp, type Tracing, type UnitOfWork } from '../../shared/index.js';
import type { Message, MessageError } from '../message.js';
import type { EventPreparer, EventRecorder } from '../../events/index.js';
import type { MessageRepositories } from '../message-repositories.js';
import { isWhatsAppSendError, type SessionSender } from '../../sessions/index.js';
import type { LeaseFence } from '../../cluster/index.js';
import { messageEvent } from '../message-event-data.js';
import { resolveOutboundContent } from './resolve-outbound-content.js';
import { actionEvent, performedActionEvents } from './action-event-data.js';
import { isOutboxAction } from './outbox-action.js';

export interface OutboxDrainerOptions {
  /** Minimum time between two sends of one instance (protects the number). Default 1,000 ms. */
  readonly minGapMs?: number;
  /** How long a claim lasts: longer than a media download plus a send. Default 5 minutes. */
  readonly claimTtlMs?: number;
  /** At most this many sends per run when `minGapMs` is 0, so other instances get a turn. Default 25. */
  readonly batchSize?: number;
  /** Retryable failures (other than a down socket) before the message fails. Default 5. */
  readonly maxAttempts?: number;
  /** First retry delay; doubled per attempt, capped at 5 minutes. Default 2,000 ms. */
  readonly retryBaseMs?: number;
  /** How often a message waiting for a down socket looks again. Default 5,000 ms. */
  readonly notConnectedRetryMs?: number;
  /** A queued message older than this fails with `expired`. Default 24 h. */
  readonly maxQueuedAgeMs?: number;
  /** Deadline for fetching a media_url. Default 60 s. */
  readonly downloadTimeoutMs?: number;
  /** How soon a run that found the instance owned by another node runs again (on any node). Default 250 ms. */
  readonly elsewhereRetryMs?: number;
}

export interface OutboxDrainerDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly clock: Clock;
  /** Records the events of a failure or an action; prepares `message.sent` for markSent's own statement. */
  readonly events: EventRecorder & EventPreparer;
  readonly sender: Pick<SessionSender, 'send' | 'perform'>;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  /**
   * Whether another node runs the instance's session (several nodes): the run then claims nothing and
   * defers, so the message waits for its owner instead of being claimed and failed `not_connected` here.
   */
  readonly ownedElsewhere?: (instanceId: string) => Promise<boolean>;
  /** Told after a send committed (e.g. to apply a receipt that arrived before the commit). Must not throw. */
  readonly onSent?: (message: Message) => void;
  /** Told each status a message moved to here, after it committed (metrics). Must not throw. */
  readonly onStatus?: (to: 'sent' | 'failed') => void;
  /**
   * Each send is a `send message` span in the trace of the request that accepted the message (its stored
   * traceparent), so the `message.sent` deliveries recorded inside it join that trace too.
   */
  readonly tracing?: Tracing;
  readonly options?: OutboxDrainerOptions;
}

export type DrainOutbox = (instanceId: string) => Promise<JobOutcome>;

type Attempt = 'done' | { readonly deferMs: number };

export function createOutboxDrainer(deps: OutboxDrainerDeps): DrainOutbox {
  const { uow, clock, events } = deps;
  const tracing = deps.tracing ?? noTracing;
  const o = deps.options ?? {};
  const minGapMs = o.minGapMs ?? 1_000;
  const claimTtlMs = o.claimTtlMs ?? 5 * 60_000;
  const batchSize = o.batchSize ?? 25;
  const maxAttempts = o.maxAttempts ?? 5;
  const retryBaseMs = o.retryBaseMs ?? 2_000;
  const notConnectedRetryMs = o.notConnectedRetryMs ?? 5_000;
  const maxQueuedAgeMs = o.maxQueuedAgeMs ?? 24 * 3_600_000;
  const downloadTimeoutMs = o.downloadTimeoutMs ?? 60_000;
  const elsewhereRetryMs = o.elsewhereRetryMs ?? 250;
  /** When this process last sent for each instance (pacing restarts with the process: at worst one early send). */
  const lastSentAt = new Map<string, number>();
  /** Messages whose "typing…" is showing, until when (lost with the process: it shows again, then sends). */
  const typingUntil = new Map<string, number>();

  /**
   * `typing_ms`: the first turn shows "typing…" (or "recording…" before a voice note) and hands the message
   * back, due when the typing ends, so the head waits without holding a claim or sleeping; the next turn
   * sends. Showing it is best effort: a failure sends at once.
   */
  async function showTyping(message: Message, token: string): Promise<Attempt | null> {
    const typingMs = message.typingMs ?? 0;
    if (typingMs <= 0 || isOutboxAction(message.body)) return null;
    const now = clock.now().getTime();
    const until = typingUntil.get(message.id);
    if (until !== undefined) {
      if (until > now) return holdBack(message, token, until - now);
      typingUntil.delete(message.id);
      return null;
    }
    const state = message.body.type === 'audio' && message.body.ptt === true ? 'recording' : 'typing';
    try {
      await deps.sender.perform({ customerId: message.customerId, id: message.instanceId }, { type: 'presence', state, chat: message.recipient });
    } catch {
      return null;
    }
    typingUntil.set(message.id, now + typingMs);
    return holdBack(message, token, typingMs);
  }

  async function holdBack(message: Message, token: string, deferMs: number): Promise<Attempt> {
    const now = clock.now();
    await uow.repos.messages.release(message.id, token, { nextAttemptAt: new Date(now.getTime() + deferMs), attemptCount: message.attemptCount, at: now });
    return { deferMs };
  }

  async function fail(message: Message, token: string, error: MessageError): Promise<Attempt> {
    const at = clock.now();
    const failed = await uow.transaction(async (repos, tx) => {
      const marked = await repos.messages.markFailed(message.id, token, { error, at });
      if (marked !== null) {
        await events.record(repos, tx, isOutboxAction(marked.body) ? actionEvent('action.failed', marked, at, error) : messageEvent('message.failed', marked, at, { error }));
      }
      return marked;
    });
    if (failed !== null) deps.onStatus?.('failed');
    return 'done';
  }

  async function retryLater(message: Message, token: string, error: MessageError, spendAttempt: boolean): Promise<Attempt> {
    const now = clock.now();
    if (!spendAttempt && now.getTime() - message.createdAt.getTime() >= maxQueuedAgeMs) {
      return fail(message, token, { code: 'expired', message: `Not sent within ${maxQueuedAgeMs} ms: ${error.message}` });
    }
    const attemptCount = message.attemptCount + (spendAttempt ? 1 : 0);
    if (attemptCount >= maxAttempts) return fail(message, token, error);
    const deferMs = spendAttempt ? Math.min(5 * 60_000, retryBaseMs * 2 ** (attemptCount - 1)) : notConnectedRetryMs;
    await uow.repos.messages.release(message.id, token, { nextAttemptAt: new Date(now.getTime() + deferMs), attemptCount, at: now });
    return { deferMs };
  }

  async function onSendError(message: Message, token: string, error: unknown): Promise<Attempt> {
    if (!isWhatsAppSendError(error)) {
      return retryLater(message, token, { code: 'send_failed', message: 'Sending failed for an unknown reason.' }, true);
    }
    const reason: MessageError = { code: error.code, message: error.message };
    if (!error.retryable) return fail(message, token, reason);
    if (error.code !== 'not_connected') return retryLater(message, token, reason, true);
    const instance = await uow.repos.instances.findById(message.customerId, message.instanceId);
    if (instance === null) return fail(message, token, { code: 'instance_deleted', message: 'The instance was deleted.' });
    return retryLater(message, token, reason, false);
  }

  /** An outbox action: performed through the session; `sent` once WhatsApp took it. */
  async function perform(message: Message, token: string): Promise<Attempt> {
    if (!isOutboxAction(message.body)) return 'done';
    try {
      await deps.sender.perform({ customerId: message.customerId, id: message.instanceId }, message.body.action);
    } catch (error) {
      return onSendError(message, token, error);
    }
    const at = clock.now();
    lastSentAt.set(message.instanceId, at.getTime());
    await uow.transaction(async (repos, tx) => {
      const marked = await repos.messages.markSent(message.id, token, { whatsappId: null, at });
      if (marked === null || marked === 'stale_fence') return;
      for (const event of await performedActionEvents(repos, marked, at)) await events.record(repos, tx, event);
    });
    return 'done';
  }

  async function attempt(message: Message, token: string): Promise<Attempt> {
    if (isOutboxAction(message.body)) return perform(message, token);
    const typing = await showTyping(message, token);
    if (typing !== null) return typing;
    const resolved = await resolveOutboundContent({ repos: uow.repos, outbound: deps.outbound, downloadTimeoutMs }, message);
    if (!resolved.ok) {
      const error = { code: resolved.code, message: resolved.message };
      return resolved.retryable ? retryLater(message, token, error, true) : fail(message, token, error);
    }
    let whatsappId: string;
    let fence: LeaseFence | null | undefined;
    try {
      const target = { customerId: message.customerId, id: message.instanceId };
      ({ whatsappId, fence } = await deps.sender.send(target, message.recipient, resolved.content, {
        ...resolved.options,
        idempotencyId: message.id,
      }));
    } catch (error) {
      return onSendError(message, token, error);
    }
    const at = clock.now();
    lastSentAt.set(message.instanceId, at.getTime());
    // One statement, no transaction: the event is built from the message as markSent will leave it (the
    // same payload `record` would store), and fanned out by the write itself, only if it marked the message
    // sent; the fence is checked there too, so a stale one or a lost claim changes and records nothing.
    const event = events.prepare(messageEvent('message.sent', { ...message, status: 'sent', whatsappId }, at));
    const marked = await uow.repos.messages.markSentWithEvent(message.id, token, { whatsappId, at }, fence == null ? null : { fence, at }, event);
    const sent = marked === null || marked === 'stale_fence' ? null : marked.message;
    if (marked !== null && marked !== 'stale_fence') await events.written(event, marked.deliveries);
    if (sent !== null) {
      deps.onStatus?.('sent');
      deps.onSent?.(sent);
    }
    return 'done';
  }

  return async (instanceId) => {
    if (deps.ownedElsewhere !== undefined && (await deps.ownedElsewhere(instanceId))) return { deferMs: elsewhereRetryMs };
    for (let sends = 0; sends < batchSize; sends++) {
      const now = clock.now();
      const wait = (lastSentAt.get(instanceId) ?? -Infinity) + minGapMs - now.getTime();
      if (wait > 0) return { deferMs: wait };
      const token = randomUUID();
      const claim = await uow.repos.messages.claimNext(instanceId, { now, until: new Date(now.getTime() + claimTtlMs), token });
      if (!claim.claimed) {
        return claim.retryAt === null ? undefined : { deferMs: Math.max(0, claim.retryAt.getTime() - now.getTime()) };
      }
      const message = claim.message;
      const attributes = {
        'whatisup.message.id': message.id,
        'whatisup.instance.id': message.instanceId,
        'whatisup.customer.id': message.customerId,
        'whatisup.message.type': message.body.type,
        'whatisup.message.attempt': message.attemptCount + 1,
      };
      // Under the accepting request's trace; an untraced message under whatever span runs the drain.
      const options = { kind: 'client' as const, ...(message.traceparent && { parent: message.traceparent }), attributes };
      const outcome = await inSpan(tracing, 'send message', options, async (span) => {
        const result = await attempt(message, token);
        if (result !== 'done') span.setAttributes({ 'whatisup.message.retry_in_ms': result.deferMs });
        return result;
      });
      if (outcome !== 'done') return outcome;
    }
    return { deferMs: 0 };
  };
}
