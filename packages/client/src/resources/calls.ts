import type { Call, InstanceSettings, MessageAccepted, PostStatusParams, UpdateInstanceSettingsParams } from '../api-types.js';
import { sendIdempotent, type SendOptions } from '../http/idempotent-request.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { routeOf } from '../routes.js';
import type { SentMessage } from './messages.js';

/** Incoming calls of an instance (announced by `call.offered`). */
export class Calls {
  constructor(private readonly transport: Transport) {}

  /** Declines a ringing call at once; `call.terminated` follows. 404 for an unknown call, 409 once it ended. */
  reject(instanceId: string, callId: string, options: CallOptions = {}): Promise<Call> {
    return this.transport.json<Call>({ ...routeOf('rejectCall', { id: instanceId, call_id: callId }), retry: false, signal: options.signal });
  }
}

/** How an instance's session treats calls, presence and read receipts. */
export class InstanceSettingsResource {
  constructor(private readonly transport: Transport) {}

  /** Every setting, with its default until changed. */
  get(instanceId: string, options: CallOptions = {}): Promise<InstanceSettings> {
    return this.transport.json<InstanceSettings>({ ...routeOf('getInstanceSettings', { id: instanceId }), retry: true, signal: options.signal });
  }

  /** Changes the settings given and keeps the others; answers with all of them. */
  update(instanceId: string, params: UpdateInstanceSettingsParams, options: CallOptions = {}): Promise<InstanceSettings> {
    return this.transport.json<InstanceSettings>({ ...routeOf('updateInstanceSettings', { id: instanceId }), body: params, retry: false, signal: options.signal });
  }
}

/** Status posts ("stories") of an instance. */
export class StatusPosts {
  constructor(private readonly transport: Transport) {}

  /**
   * Posts to the instance's status for the `audience` (staged like a send: 202 with a `msg_` id, `message.sent`
   * follows, then `story.viewed` as people open it). Send an Idempotency-Key to retry safely.
   */
  post(instanceId: string, params: PostStatusParams, options?: SendOptions): Promise<SentMessage> {
    return sendIdempotent<MessageAccepted>(this.transport, { ...routeOf('postStatus', { id: instanceId }), body: params }, options);
  }
}
