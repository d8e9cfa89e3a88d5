/*
 * The sandbox's inbound body (core's SandboxInboundBody) turned into core's OutboundContent, the shape the
 * simulated phone delivers as an inbound message. Media must be inline (`media_base64`): the sandbox
 * fetches nothing, and a `media_url` is answered with a 400 naming the field.
 */
import type { MessageBody, OutboundContent, OutboundMedia, SandboxChangeRequest, SandboxInboundBody, SandboxInboundInput } from '@whatisup/core';
import { ApiError } from '../lib/api-error.js';

type SandboxBody = SandboxInboundBody['body'];
type ChangeBody = Extract<SandboxBody, { type: 'reaction' | 'edit' | 'revoke' | 'poll_vote' | 'played' }>;

/** A body about an existing message (a reaction too: it names one) rather than a message of its own. */
export const isSandboxChange = (body: SandboxBody): body is ChangeBody =>
  body.type === 'reaction' || body.type === 'edit' || body.type === 'revoke' || body.type === 'poll_vote' || body.type === 'played';

/** The injection of a reaction, edit, revoke, poll vote or played receipt; core resolves the message it names. */
export function toSandboxChangeRequest(input: SandboxInboundBody & { body: ChangeBody }): SandboxChangeRequest {
  const { body } = input;
  const sender = input.sender === undefined ? {} : { sender: input.sender };
  switch (body.type) {
    case 'reaction':
      return { from: input.from, ...sender, change: { type: 'reaction', messageId: body.message_id, emoji: body.emoji } };
    case 'edit':
      return { from: input.from, ...sender, change: { type: 'edit', messageId: body.message_id, text: body.text } };
    case 'revoke':
      return { from: input.from, ...sender, change: { type: 'revoke', messageId: body.message_id } };
    case 'poll_vote':
      return { from: input.from, ...sender, change: { type: 'poll_vote', messageId: body.message_id, options: body.options } };
    case 'played':
      return { from: input.from, ...sender, change: { type: 'played', messageId: body.message_id } };
  }
}

/** Throws a 400 for a `media_url` (the sandbox takes inline media only). */
export function toSandboxInboundInput(input: SandboxInboundBody & { body: MessageBody }): SandboxInboundInput {
  return {
    from: input.from,
    content: toOutboundContent(input.body, input.from),
    ...(input.sender === undefined ? {} : { sender: input.sender }),
    ...(input.push_name === undefined ? {} : { pushName: input.push_name }),
  };
}

function toOutboundContent(body: MessageBody, chatId: string): OutboundContent {
  switch (body.type) {
    case 'text':
      return { type: 'text', text: body.text, ...(body.mentions === undefined ? {} : { mentions: body.mentions }) };
    case 'image':
      return { type: 'image', media: inlineMedia(body), ...optional('caption', body.caption), ...optional('viewOnce', body.view_once) };
    case 'video':
      return {
        type: 'video',
        media: inlineMedia(body),
        ...optional('caption', body.caption),
        ...optional('gifPlayback', body.gif_playback),
        ...optional('viewOnce', body.view_once),
      };
    case 'audio':
      return { type: 'audio', media: inlineMedia(body), ...optional('ptt', body.ptt), ...optional('viewOnce', body.view_once) };
    case 'document':
      return { type: 'document', media: inlineMedia(body), filename: body.filename, ...optional('caption', body.caption) };
    case 'sticker':
      return { type: 'sticker', media: inlineMedia(body) };
    case 'location':
      return { type: 'location', latitude: body.latitude, longitude: body.longitude, ...optional('name', body.name), ...optional('address', body.address) };
    case 'contact':
      return { type: 'contact', vcard: body.vcard, ...optional('displayName', body.display_name) };
    case 'reaction':
      // The contact reacts to a message in this chat, usually one the instance sent.
      return { type: 'reaction', emoji: body.emoji, target: { whatsappId: body.message_id, chatId, fromMe: true } };
    case 'poll':
      return { type: 'poll', question: body.question, options: body.options, selectableCount: body.selectable_count ?? 1 };
  }
}

function inlineMedia(body: { media_base64?: string | undefined; mime_type?: string | undefined }): OutboundMedia {
  if (body.media_base64 === undefined || body.mime_type === undefined) {
    throw new ApiError(400, 'invalid_input', 'Invalid request: body.body.media_url: the sandbox takes media as media_base64 with mime_type.', {
      issues: [{ in: 'body', path: 'body.media_url', message: 'Use media_base64 with mime_type.' }],
    });
  }
  return { data: Buffer.from(body.media_base64, 'base64'), mimeType: body.mime_type.split(';')[0]!.trim().toLowerCase() };
}

const optional = <K extends string, T>(key: K, value: T | undefined): Partial<Record<K, T>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, T>>;
