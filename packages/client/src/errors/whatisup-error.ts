/*
 * Failures as values a caller can branch on. Every answer the server refuses carries the documented envelope
 * `{"error":{"code","message","details"},"request_id"}`; it becomes a WhatIsUpError with the same fields and
 * the HTTP status. A request that got no answer at all (DNS, refused connection, reset, timeout) is a
 * WhatIsUpConnectionError instead, with `status` null: nothing is known about whether the server acted on it.
 */
import type { DomainErrorCode } from '@whatisup/core';

/** Codes the HTTP layer adds to the domain's. */
export type HttpErrorCode = 'invalid_json' | 'invalid_request' | 'method_not_allowed' | 'internal_error';

/** Codes the client itself gives when there is no envelope to read. */
export type ClientErrorCode = 'connection_error' | 'timeout' | 'unexpected_response';

/**
 * Every documented code. A newer server may send one this client does not know yet, so the union stays
 * open (`string & {}` keeps editor completion for the known ones).
 */
export type WhatIsUpErrorCode = DomainErrorCode | HttpErrorCode | ClientErrorCode | (string & {});

export interface WhatIsUpErrorInit {
  readonly status: number | null;
  readonly code: WhatIsUpErrorCode;
  readonly message: string;
  readonly requestId?: string | null;
  readonly details?: Record<string, unknown>;
  readonly retryAfter?: number | null;
  readonly cause?: unknown;
}

export class WhatIsUpError extends Error {
  override readonly name: string = 'WhatIsUpError';
  /** The HTTP status; null when no response arrived. */
  readonly status: number | null;
  /** Stable and machine-readable: branch on this, not on `message`. */
  readonly code: WhatIsUpErrorCode;
  /** `req_...`: quote it when asking the operator; it finds the server's log line. Null without a response. */
  readonly requestId: string | null;
  /** Structured context, e.g. `issues: [{in, path, message}]` for `invalid_input`. */
  readonly details: Record<string, unknown>;
  /** Seconds the server asked to wait (`Retry-After`), or null. */
  readonly retryAfter: number | null;

  constructor(init: WhatIsUpErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? {};
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The same as `requestId`, spelled as the error envelope spells it. */
  get request_id(): string | null {
    return this.requestId;
  }
}

/** No response arrived: the request may or may not have reached the server. */
export class WhatIsUpConnectionError extends WhatIsUpError {
  override readonly name: string = 'WhatIsUpConnectionError';

  constructor(message: string, cause?: unknown, code: 'connection_error' | 'timeout' = 'connection_error') {
    super({ status: null, code, message, cause });
  }
}

/** The request took longer than the client's `timeoutMs`. */
export class WhatIsUpTimeoutError extends WhatIsUpConnectionError {
  override readonly name: string = 'WhatIsUpTimeoutError';

  constructor(timeoutMs: number) {
    super(`No response within ${timeoutMs} ms.`, undefined, 'timeout');
  }
}

/** True for any error this client throws; with `code`, only for that code. */
export function isWhatIsUpError(error: unknown, code?: WhatIsUpErrorCode): error is WhatIsUpError {
  return error instanceof WhatIsUpError && (code === undefined || error.code === code);
}
