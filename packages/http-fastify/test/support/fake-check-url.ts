/*
 * The part of the outbound port that endpoint and send use cases call, without DNS: it refuses hosts a real
 * resolver would place in loopback, private, link-local (metadata) or unique-local space the way the real
 * client does (422 `unsafe_url` with a reason), and treats every other host as public.
 */
import { DomainError, type CheckedUrl } from '@whatisup/core';

const PRIVATE_LOOKING =
  /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[f[cd][0-9a-f]*:.*\]|metadata\.google\.internal)$/i;

export async function fakeCheckUrl(url: string): Promise<CheckedUrl> {
  const parsed = new URL(url);
  if (PRIVATE_LOOKING.test(parsed.hostname)) {
    throw new DomainError('unsafe_url', 'The URL resolves to an address that is not public.', {
      reason: 'forbidden_address',
    });
  }
  return { url: parsed.toString(), hostname: parsed.hostname, addresses: ['203.0.113.10'] };
}
