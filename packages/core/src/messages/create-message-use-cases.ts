/*
 * The message use cases the API serves, wired once for the server and every test harness. Sending needs the
 * outbox queue (to wake the instance's outbox after commit) and the outbound client (to check a media URL
 * before the message is accepted).
 */
import { createGetMessage } from './get-message.js';
import { createGetAction } from './get-action.js';
import { createListMessages } from './list-messages.js';
import { createSendMessage, type SendMessageDeps } from './outbox/send-message.js';
import { createStageOutboxAction } from './outbox/stage-outbox-action.js';
import { createEditMessage } from './operations/edit-message.js';
import { createRevokeMessage } from './operations/revoke-message.js';
import { createForwardMessage } from './operations/forward-message.js';

export type MessageUseCasesDeps = SendMessageDeps;

export function createMessageUseCases({ uow, clock, outboxQueue, outbound, tracing, onWakeError }: MessageUseCasesDeps) {
  const stageOutboxAction = createStageOutboxAction({ uow, clock, outboxQueue });
  const sendMessage = createSendMessage({ uow, clock, outboxQueue, outbound, onWakeError, ...(tracing && { tracing }) });
  return {
    sendMessage,
    forwardMessage: createForwardMessage({ uow, sendMessage }),
    getMessage: createGetMessage({ uow }),
    listMessages: createListMessages({ uow }),
    stageOutboxAction,
    editMessage: createEditMessage({ uow, clock, stageOutboxAction }),
    revokeMessage: createRevokeMessage({ uow, stageOutboxAction }),
    getAction: createGetAction({ uow }),
  };
}

export type MessageUseCases = ReturnType<typeof createMessageUseCases>;
