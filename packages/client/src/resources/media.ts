import type { CallOptions, Transport } from '../http/transport.js';
import { pathOf } from '../routes.js';

export interface MediaContent {
  readonly data: Uint8Array;
  /** The Content-Type the server gave. */
  readonly contentType: string;
  /** The sender's file name, when it gave one. */
  readonly filename: string | null;
}

const MEDIA_PATH = '/v1/media/';

/** Inbound attachments, from the `body.media_url` of a `message.received` event. */
export class Media {
  constructor(private readonly transport: Transport) {}

  /**
   * Downloads an attachment. `mediaUrl` is the event's `body.media_url` (absolute or `/v1/media/...`) or its
   * token alone. 410 `media_expired` once the URL expired or the server no longer keeps the bytes.
   */
  async download(mediaUrl: string, options: CallOptions = {}): Promise<MediaContent> {
    const response = await this.transport.send({
      method: 'GET',
      path: pathOf('getMedia', { token: tokenOf(mediaUrl) }),
      headers: { accept: '*/*' },
      retry: true,
      signal: options.signal,
    });
    return {
      data: new Uint8Array(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      filename: filenameOf(response.headers.get('content-disposition')),
    };
  }
}

function tokenOf(mediaUrl: string): string {
  const at = mediaUrl.indexOf(MEDIA_PATH);
  const rest = at === -1 ? mediaUrl : mediaUrl.slice(at + MEDIA_PATH.length);
  return decodeURIComponent(rest.split(/[?#]/, 1)[0] ?? '');
}

function filenameOf(disposition: string | null): string | null {
  if (disposition === null) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded?.[1] !== undefined) return decodeURIComponent(encoded[1]);
  return /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
}
