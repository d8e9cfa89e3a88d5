/*
 * A route that changes WhatsApp state (block a contact, ...) by staging an action in the instance's outbox:
 * 202 with the `act_` id at once, performed in acceptance order with the instance's sends. The helper reads
 * and checks the `Idempotency-Key` header, marks a repeat with `Idempotent-Replayed: true`, and documents the
 * shared outcomes (403, 404, 409 `not_connected` / `idempotency_conflict`).
 */
import { ActionAcceptedJson, toActionAcceptedJson, type Message } from '@whatisup/core';
import type * as v from 'valibot';
import { idempotencyKeyOf } from '../schemas/idempotency-key-header.js';
import { defineRoute, type AnySchema, type ObjectSchema, type RouteContext, type RouteSpec } from './route-spec.js';

const ACTION_NOTE =
  'Staged in the instance’s outbox and answered 202 at once; WhatsApp is told in the order requests were ' +
  'accepted, together with the instance’s messages (`action.failed` names the `action_id` if WhatsApp refuses). ' +
  'Send an `Idempotency-Key` header to retry safely: a repeat returns the first answer (header ' +
  '`Idempotent-Replayed: true`); the same key with a different request is 409 `idempotency_conflict`. ' +
  '409 `not_connected` unless the instance is connected or reconnecting.';

type ActionSpec<P extends ObjectSchema | undefined, B extends AnySchema | undefined> = Omit<
  RouteSpec<P, undefined, B, typeof ActionAcceptedJson>,
  'response' | 'handler' | 'query'
> & {
  /** Stages the action; `idempotencyKey` is the checked header or null. */
  readonly stage: (context: RouteContext<P, undefined, B>, idempotencyKey: string | null) => Promise<{ action: Message; created: boolean }>;
};

export function defineOutboxActionRoute<P extends ObjectSchema | undefined = undefined, B extends AnySchema | undefined = undefined>(
  spec: ActionSpec<P, B>,
): RouteSpec<P, undefined, B, typeof ActionAcceptedJson> {
  const { stage, ...rest } = spec;
  return defineRoute<P, undefined, B, typeof ActionAcceptedJson>({
    ...rest,
    description: spec.description === undefined ? ACTION_NOTE : `${spec.description} ${ACTION_NOTE}`,
    errors: [...new Set([...(spec.errors ?? []), 403, 404, 409])].sort(),
    response: { status: 202, description: 'Accepted and queued (or the first answer to a repeat).', schema: ActionAcceptedJson },
    handler: async (context): Promise<v.InferInput<typeof ActionAcceptedJson>> => {
      const { action, created } = await stage(context, idempotencyKeyOf(context.request.headers));
      if (!created) context.reply.header('idempotent-replayed', 'true');
      return toActionAcceptedJson(action);
    },
  });
}
