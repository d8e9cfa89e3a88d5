/*
 * A call the session reported becomes `call.offered` (it rang) or `call.terminated` (it ended), each once per
 * call: the registry remembers what was recorded, so a repeated offer or a terminate after our own reject
 * records nothing more. With the instance's `reject_calls` setting (read when the call rings), a ringing call
 * is declined at once and, with `call_reply_text`, a text is staged to the caller through the outbox (as a
 * message of the instance, `message.sent` follows like any send).
 */
import type { Clock, UnitOfWork } from '../shared/index.js';
import type { EventRecorder } from '../events/index.js';
import type { CallUpdate, PersonIdentity, SessionInstance } from '../sessions/index.js';
import { readInstanceSettings, type InstanceSettingsRepositories } from '../settings/index.js';
import type { CallEndReason, CallRecord, CallRegistry } from './call-registry.js';
import { offeredData, terminatedData } from './call-event-data.js';
import type { RejectRingingCall } from './reject-ringing-call.js';

export interface CallHandlerDeps {
  readonly uow: UnitOfWork<InstanceSettingsRepositories>;
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly registry: CallRegistry;
  readonly reject: RejectRingingCall;
  /** Stages the `call_reply_text` to the caller (a phone number, or a LID JID when that is all we know). */
  readonly reply: (instance: { readonly customerId: string; readonly id: string }, input: { readonly to: string; readonly text: string; readonly callId: string }) => Promise<void>;
  /** Completes a caller known by one address with the other, when the customer learnt it. */
  readonly identify?: (instance: Pick<SessionInstance, 'id' | 'customerId'>, person: PersonIdentity) => Promise<PersonIdentity>;
  /** Told what went wrong with an automatic reject or reply; the call's events stand. */
  readonly onError?: (error: unknown, context: { readonly instanceId: string; readonly callId: string }) => void;
}

export type HandleCall = (instance: Pick<SessionInstance, 'id' | 'customerId'>, call: CallUpdate) => Promise<void>;

const END_REASONS: Record<Exclude<CallUpdate['status'], 'offer'>, CallEndReason> = {
  rejected: 'rejected',
  accepted: 'accepted',
  timeout: 'missed',
  ended: 'ended',
};

export function createCallHandler(deps: CallHandlerDeps): HandleCall {
  const { registry } = deps;

  async function record(instance: Pick<SessionInstance, 'id' | 'customerId'>, name: 'call.offered' | 'call.terminated', call: CallRecord): Promise<void> {
    const base = { customerId: instance.customerId, instanceId: instance.id, occurredAt: deps.clock.now() };
    const event =
      name === 'call.offered' ? { ...base, name, data: offeredData(call) } : { ...base, name, data: terminatedData(call) };
    await deps.events.recordAlone(deps.uow.repos, event);
  }

  async function remember(instance: Pick<SessionInstance, 'id' | 'customerId'>, call: CallUpdate): Promise<CallRecord> {
    const author = call.author ?? { phoneNumber: null, lid: null };
    const known = deps.identify === undefined ? author : await deps.identify(instance, author);
    return registry.remember(instance.id, { ...call, author: known }, deps.clock.now());
  }

  async function offered(instance: Pick<SessionInstance, 'id' | 'customerId'>, call: CallUpdate): Promise<void> {
    if (registry.get(instance.id, call.callId) !== null) return;
    const ringing = await remember(instance, call);
    await record(instance, 'call.offered', ringing);
    const settings = await readInstanceSettings(deps.uow.repos, { customerId: instance.customerId, id: instance.id });
    if (!settings.rejectCalls) return;
    try {
      await deps.reject(instance, ringing, 'settings');
    } catch (error) {
      deps.onError?.(error, { instanceId: instance.id, callId: call.callId });
      return;
    }
    if (settings.callReplyText === null) return;
    const to = ringing.author.phoneNumber ?? ringing.author.lid ?? ringing.from;
    await deps.reply(instance, { to, text: settings.callReplyText, callId: call.callId }).catch((error: unknown) =>
      deps.onError?.(error, { instanceId: instance.id, callId: call.callId }),
    );
  }

  return async (instance, call) => {
    if (call.status === 'offer') return offered(instance, call);
    const known = registry.get(instance.id, call.callId) ?? (await remember(instance, call));
    if (known.state !== 'ringing') return;
    registry.end(known, END_REASONS[call.status], call.status === 'rejected' ? 'phone' : null, call.at);
    await record(instance, 'call.terminated', known);
  };
}
