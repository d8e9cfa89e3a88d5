import { newId } from '@whatisup/core';

/**
 * Every request gets a fresh `req_...` id. A client-supplied `X-Request-Id` is ignored on purpose: an id
 * we did not mint could collide, be forged to confuse log searches, or carry arbitrary text into logs.
 * The id is returned as `X-Request-Id` and in every error body.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

export const generateRequestId = (): string => newId('request');
