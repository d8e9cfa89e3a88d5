/*
 * Answers requests Node's HTTP parser refuses before Fastify sees a request (malformed request line or
 * headers, headers over `maxHeaderSize`, a request that took too long) in the error envelope with a fresh
 * request id, instead of Fastify's own body. There is no request or reply object here, only the socket, so
 * the response is written by hand, and the connection is closed: the parser cannot resync on it.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { REQUEST_ID_HEADER, generateRequestId } from './request-id.js';

interface ParserError extends Error {
  code?: string;
}

function describe(error: ParserError): { status: number; code: string; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'invalid_request', message: 'The request headers are larger than this server accepts (16 KiB in all).' };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'invalid_request', message: 'The request was not received in time.' };
  }
  return { status: 400, code: 'invalid_request', message: 'The request is not valid HTTP (malformed request line or headers).' };
}

export function handleClientError(this: { log: FastifyBaseLogger }, error: ParserError, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, message } = describe(error);
  const requestId = generateRequestId();
  this.log.debug({ err: { code: error.code, message: error.message }, request_id: requestId, status }, 'client error');
  const body = JSON.stringify({ error: { code, message, details: {} }, request_id: requestId });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
