/*
 * DNS pinning. The socket may only reach the addresses the policy just approved: the connector's lookup
 * answers with exactly those (never asking DNS again, so a rebinding name cannot switch), and the peer
 * address is verified once connected as a second line of defence. TLS is untouched: undici still sends
 * the hostname as servername and Node verifies the certificate against it.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { buildConnector } from 'undici';
import { unwrapMappedIpv4 } from './forbidden-ranges.js';
import { parseIpAddress } from './ip-address.js';

export interface PinnedConnectorOptions {
  readonly hostname: string;
  readonly addresses: readonly string[];
  readonly connectTimeoutMs: number;
  /** Extra TLS options (a private CA). */
  readonly tls?: Pick<ConnectionOptions, 'ca'>;
  /** Told the peer address of every accepted connection. */
  readonly onConnected: (address: string) => void;
}

export function createPinnedConnector(options: PinnedConnectorOptions): buildConnector.connector {
  const { hostname, addresses, connectTimeoutMs, tls, onConnected } = options;
  const connect = buildConnector({
    ...tls,
    timeout: connectTimeoutMs,
    lookup: createPinnedLookup(hostname, addresses),
  });
  const pinned = new Set(addresses.map(canonical));
  return (connectOptions, callback) => {
    connect(connectOptions, (error, socket) => {
      if (error !== null) return callback(error, null);
      const peer = socket.remoteAddress ?? '';
      if (!pinned.has(canonical(peer))) {
        socket.destroy();
        return callback(Object.assign(new Error('Connected to an address that was not checked.'), { code: 'EPINNED' }), null);
      }
      onConnected(peer);
      return callback(null, socket);
    });
  };
}

export function createPinnedLookup(hostname: string, addresses: readonly string[]): LookupFunction {
  const entries: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }));
  return (name: string, options: LookupOptions, callback) => {
    const wanted = entries.filter((entry) => !options.family || entry.family === options.family);
    const first = wanted[0];
    if (name !== hostname || first === undefined) {
      const error = Object.assign(new Error(`No checked address for ${name}.`), { code: 'ENOTFOUND' });
      return callback(error, '', 0);
    }
    return options.all ? callback(null, wanted) : callback(null, first.address, first.family);
  };
}

function canonical(address: string): string {
  const parsed = parseIpAddress(address);
  if (parsed === undefined) return address;
  const { family, value } = unwrapMappedIpv4(parsed);
  return `${family}:${value}`;
}
