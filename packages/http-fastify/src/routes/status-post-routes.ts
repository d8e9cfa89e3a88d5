/*
 * Posting to the instance's status ("story"): staged in the outbox like a message (202), sent to
 * `status@broadcast` for the audience named; `story.viewed` follows as people open it.
 */
import { StatusPostBody, type PostStatus } from '@whatisup/core';
import { MessageAcceptedJson, toMessageAcceptedJson } from '@whatisup/core/messages';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams } from '../schemas/common-schemas.js';
import { idempotencyKeyOf } from '../schemas/idempotency-key-header.js';
import { annotateRequest } from '../plugins/request-context.js';

export interface StatusPostRoutesDeps {
  readonly postStatus: PostStatus;
}

export function statusPostRoutes(deps: StatusPostRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/status',
      operationId: 'postStatus',
      summary: 'Post a status (story)',
      description:
        'Stages a text, image, video or audio status post for the people in `audience` and answers 202 at once; it goes out ' +
        'in the order accepted with the instance’s messages (`message.sent` with the returned `message_id`), and ' +
        '`story.viewed` follows each time someone opens it. `body` takes the shapes of sending a message, with its media ' +
        'caps and URL checks. `Idempotency-Key` and `client_ref` repeats return the first answer. 409 `not_connected` ' +
        'unless the instance is connected or reconnecting.',
      tags: ['Status posts'],
      params: IdParams,
      body: StatusPostBody,
      response: { status: 202, description: 'Accepted and queued (or the first answer to a repeat).', schema: MessageAcceptedJson },
      errors: [403, 404, 409, 413, 415, 422],
      handler: async ({ principal, params, body, request, reply }) => {
        const { message, created } = await deps.postStatus(principal, { instanceId: params.id, post: body, idempotencyKey: idempotencyKeyOf(request.headers) });
        annotateRequest(request, { message_id: message.id });
        reply.header('location', `/v1/messages/${message.id}`);
        if (!created) reply.header('idempotent-replayed', 'true');
        return toMessageAcceptedJson(message);
      },
    }),
  ];
}
