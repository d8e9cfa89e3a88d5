/*
 * The message use cases the API serves, wired once for the server and every test harness. Sending needs the
 * outbox queue (to wake the instance's outbox after commit) and the outbound client (to check a media URL
 * before the message is accepted).
 */
import { createGetMessage } from './get-message.js';
import { createListMessages } from './list-messages.js';
import { createSendMessage, type SendMessageDeps } from './outbox/send-message.js';

export type MessageUseCasesDeps = SendMessageDeps;

export function createMessageUseCases({ uow, clock, outboxQueue, outbound, tracing }: MessageUseCasesDeps) {
  return {
    sendMessage: createSendMessage({ uow, clock, outboxQueue, outbound, ...(tracing && { tracing }) }),
    getMessage: createGetMessage({ uow }),
    listMessages: createListMessages({ uow }),
  };
}

export type MessageUseCases = ReturnType<typeof createMessageUseCases>;
