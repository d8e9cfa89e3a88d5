/*
 * The syntactic half of the policy. The WHATWG URL parser does the normalising that matters for safety:
 * it lower-cases and punycodes the host and rewrites every IPv4 spelling it accepts (2130706433, 0x7f.1,
 * 0177.0.0.1, 127.1) to dotted decimal, so the address check below sees the address a client would reach.
 */
import { isIP } from 'node:net';
import { refusal, type UrlRefusal } from './url-refusal.js';

export interface ParsedOutboundUrl {
  readonly url: URL;
  /** Lower-case, no trailing dot, IPv6 without brackets. */
  readonly hostname: string;
  /** Set when the host is an IP literal: no resolution happens. */
  readonly literal: boolean;
}

export function parseOutboundUrl(input: string, requireHttps: boolean): ParsedOutboundUrl | UrlRefusal {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refusal('invalid_url', 'The URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refusal('unsupported_scheme', `Only http and https URLs are allowed, not ${url.protocol}.`);
  }
  if (requireHttps && url.protocol !== 'https:') {
    return refusal('https_required', 'Only https URLs are allowed.');
  }
  if (url.username !== '' || url.password !== '') {
    return refusal('userinfo_present', 'The URL must not contain a user name or password.');
  }
  // "example.com." names the same host as "example.com"; keep one spelling (and one TLS servername).
  const stripped = url.hostname.replace(/\.+$/, '');
  if (stripped === '') return refusal('invalid_url', 'The URL has no host.');
  url.hostname = stripped;
  const hostname = stripped.startsWith('[') ? stripped.slice(1, -1) : stripped;
  return { url, hostname, literal: isIP(hostname) !== 0 };
}
