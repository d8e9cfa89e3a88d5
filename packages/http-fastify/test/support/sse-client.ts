/*
 * A bare SSE reader over a real socket (http.get), for stream tests: it keeps the raw text, parses it into
 * frames as the WHATWG parser would for our simple frames, and can stop reading to play a slow client.
 */
import http from 'node:http';
import { until } from '@whatisup/test-infra';

export interface SseFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  /** Comment lines (`: text`), without the colon. */
  readonly comments: string[];
}

export interface SseConnection {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: () => string;
  readonly frames: () => SseFrame[];
  /** Frames carrying an event (`data:`), in order. */
  readonly events: () => SseFrame[];
  readonly waitFor: (predicate: (c: SseConnection) => boolean, timeoutMs?: number) => Promise<void>;
  /** Resolves when the server ended or dropped the connection. */
  readonly ended: Promise<void>;
  readonly isEnded: () => boolean;
  /** Stops reading: the kernel buffers fill up and the server sees a slow reader. */
  readonly pause: () => void;
  readonly close: () => void;
}

export function parseFrames(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => {
      const frame: { id?: string; event?: string; data?: string; comments: string[] } = { comments: [] };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data = line.slice(6);
      }
      return frame;
    });
}

export function openSse(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, baseUrl), { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      let text = '';
      let ended = false;
      let markEnded: () => void = () => undefined;
      const endedPromise = new Promise<void>((done) => (markEnded = done));
      const finish = () => {
        ended = true;
        markEnded();
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', finish);
      response.on('close', finish);
      response.on('error', finish);
      const connection: SseConnection = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        text: () => text,
        frames: () => parseFrames(text),
        events: () => parseFrames(text).filter((frame) => frame.data !== undefined),
        waitFor: (predicate, timeoutMs = 2_000) =>
          until(() => predicate(connection), {
            timeoutMs,
            message: () => `SSE condition not met; received:\n${text.slice(-2000)}`,
          }),
        ended: endedPromise,
        isEnded: () => ended,
        pause: () => response.pause(),
        close: () => request.destroy(),
      };
      resolve(connection);
    });
    request.on('error', reject);
  });
}
