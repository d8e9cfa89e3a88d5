/*
 * `GET /v1/media/<token>`: the bytes of an inbound attachment, from the signed URL a `message.received`
 * event carries. The API key is required as on every route (core's getMedia explains why); the token says
 * which media and until when. The bytes come from WhatsApp senders, so they are served as a download that a
 * browser will neither sniff nor run (nosniff, a sandboxing CSP) and that shared caches must not keep.
 *
 * The path is a wildcard, not `:token`: a token is ~175 characters and Fastify refuses path parameters
 * longer than its `maxParamLength` (100 by default) with a 414. A wildcard is not subject to that limit.
 */
import type { GetMedia, MediaContent } from '@whatisup/core';
import * as v from 'valibot';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';

export interface MediaRoutesDeps {
  readonly getMedia: GetMedia;
}

const MediaParams = v.object({
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(1024), v.description('The media token, from the URL in `message.received`.')),
});

export function mediaRoutes(deps: MediaRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/media/:token',
      operationId: 'getMedia',
      summary: 'Download an inbound attachment',
      description:
        'Follow the `body.media_url` of a `message.received` event (`/v1/media/<token>`) with your API key. ' +
        'Answers the bytes with their Content-Type (and a filename when the sender gave one). 410 ' +
        '`media_expired` once the URL expired or the media is no longer kept (bounded memory, lost on ' +
        'restart); 404 for a malformed token or another customer’s. Any server of a cluster answers any URL: with ' +
        'a shared store every node reads the bytes, otherwise the request is handed to the node that keeps them; ' +
        'while that node does not answer, 503 `unavailable` with `Retry-After`.',
      tags: ['Media'],
      params: MediaParams,
      response: { status: 200, description: 'The bytes, with their Content-Type.' },
      errors: [404, 410, 503],
      handler: async ({ principal, params, reply }) => {
        const media = await deps.getMedia(params.token, principal);
        reply.code(200).type(media.mimeType).headers(mediaHeaders(media));
        return reply.send(Buffer.from(media.data.buffer, media.data.byteOffset, media.data.byteLength));
      },
    }),
  ];
}

function mediaHeaders(media: MediaContent): Record<string, string> {
  return {
    'cache-control': 'private',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    ...(media.filename === null ? {} : { 'content-disposition': contentDisposition(media.filename) }),
  };
}

/** RFC 6266: an ASCII fallback (quotes, backslashes and controls replaced) and the exact name in UTF-8. */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7E]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
