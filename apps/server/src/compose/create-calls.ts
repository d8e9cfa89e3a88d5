/*
 * Calls, instance settings and status posts. The call and story-view handlers and the settings' effects exist
 * before the sessions (the sessions call them) but act through the sessions (rejecting a call, setting
 * presence, marking read), so they reach them through `bind(sessions)`, called once the sessions exist.
 */
import {
  createCallHandler,
  createCallRegistry,
  createGetInstanceSettings,
  createPostStatus,
  createRejectCall,
  createRejectRingingCall,
  createSettingsEffects,
  createStoryViewHandler,
  createUpdateInstanceSettings,
  WhatsAppSendError,
  type Clock,
  type EventBus,
  type EventRecorder,
  type InboundMessage,
  type PersonIdentity,
  type SendMessage,
  type SendMessageDeps,
  type SessionInstance,
  type SessionManager,
  type UnitOfWork,
} from '@whatisup/core';
import type { Logger } from 'pino';

export interface CallsDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder;
  readonly sendMessage: SendMessage;
  /** What staging a status post needs: the message feature's own send dependencies. */
  readonly staging: Pick<SendMessageDeps, 'outboxQueue' | 'outbound' | 'tracing' | 'onWakeError'>;
  readonly identify: (instance: Pick<SessionInstance, 'id' | 'customerId'>, person: PersonIdentity) => Promise<PersonIdentity>;
}

/** How often a live instance with `always_online` is set online again. */
const ALWAYS_ONLINE_REFRESH_MS = 5 * 60_000;

export function createCalls(deps: CallsDeps, logger: Logger) {
  let sessions: SessionManager | null = null;
  const notBound = () => new WhatsAppSendError('not_connected', 'Sessions are not running yet.', true);
  const sender = {
    perform: async (instance: { readonly customerId: string; readonly id: string }, action: Parameters<SessionManager['perform']>[1]) => {
      if (sessions === null) throw notBound();
      return sessions.perform(instance, action);
    },
    isLive: (instanceId: string) => sessions?.isLive(instanceId) ?? false,
  };
  const { uow, clock, events } = deps;
  const registry = createCallRegistry();
  const reject = createRejectRingingCall({ uow, events, clock, registry, sender });
  const effects = createSettingsEffects({
    uow,
    sender,
    onError: (error, context) => logger.warn({ err: error, instance_id: context.instanceId, setting: context.effect }, 'a setting could not be applied'),
  });
  const onCall = createCallHandler({
    uow,
    events,
    clock,
    registry,
    reject,
    identify: deps.identify,
    // The reply is the instance's own message, staged as if a key bound to the instance sent it.
    reply: async (instance, { to, text, callId }) =>
      void (await deps.sendMessage(
        { customerId: instance.customerId, keyId: 'system', instanceId: instance.id },
        { instanceId: instance.id, to, body: { type: 'text', text }, idempotencyKey: `whatisup:call-reply:${instance.id}:${callId}`.slice(0, 255) },
      )),
    onError: (error, context) => logger.warn({ err: error, instance_id: context.instanceId, call_id: context.callId }, 'declining a call or replying to it failed'),
  });
  const onStoryView = createStoryViewHandler({ uow, events, clock, identify: deps.identify });

  return {
    /** The session handlers: calls, story views, and what the settings do with inbound messages. */
    traffic: {
      onCall,
      onStoryView,
      onInboundSettings: (instance: SessionInstance, message: InboundMessage) => effects.onInbound(instance, message),
    },
    bind(manager: SessionManager) {
      sessions = manager;
    },
    useCases: {
      rejectCall: createRejectCall({ uow, registry, reject, runsElsewhere: async (id) => (sessions === null ? false : sessions.runsElsewhere(id)) }),
      getInstanceSettings: createGetInstanceSettings({ uow }),
      updateInstanceSettings: createUpdateInstanceSettings({
        uow,
        clock,
        onChanged: (instance, before, after) => void effects.onChanged(instance, before, after),
      }),
      postStatus: createPostStatus({ uow, clock, ...deps.staging }),
    },
    /** Sets `always_online` instances online when they connect here, and again every few minutes. */
    keepOnline(bus: Pick<EventBus, 'subscribe'>): () => Promise<void> {
      const unsubscribe = bus.subscribe(({ customerId, envelope }) => {
        if (envelope.event !== 'instance.connected' || envelope.instance_id === null) return;
        void effects.onConnected({ customerId, id: envelope.instance_id }).catch((error: unknown) =>
          logger.warn({ err: error, instance_id: envelope.instance_id }, 'always_online could not be applied'),
        );
      });
      const timer = setInterval(() => {
        void (async () => {
          for (const instance of await uow.repos.instances.listByStatus(['connected'])) {
            if (sender.isLive(instance.id)) await effects.onConnected(instance);
          }
        })().catch((error: unknown) => logger.warn({ err: error }, 'refreshing always_online failed'));
      }, ALWAYS_ONLINE_REFRESH_MS);
      timer.unref();
      return async () => {
        unsubscribe();
        clearInterval(timer);
      };
    },
  };
}
