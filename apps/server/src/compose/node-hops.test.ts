import { describe, expect, it } from 'vitest';
import { createNodeHops, HOP_VALIDITY_MS } from './node-hops.js';

const HEADER = 'x-whatisup-forwarded-by';
const at = (ms: number) => ({ now: () => new Date(ms) });
const key = (byte: number) => Buffer.alloc(32, byte);
const request = { method: 'POST', url: '/v1/instances/inst_1/qr', authorization: 'Bearer wiu_a' };
const received = (value: string, overrides: Partial<{ method: string; url: string; authorization: string }> = {}) => {
  const r = { ...request, ...overrides };
  return { method: r.method, url: r.url, headers: { authorization: r.authorization, [HEADER]: value } };
};

describe('node hops', () => {
  it('trusts a hop signed by a node with the same SECRETS_KEY, for that request and key only, for a while', () => {
    const hops = createNodeHops({ clock: at(1_000_000), secretsKey: key(1) });
    const hop = hops.sign('node_a', request);
    expect(hops.verify(received(hop), HEADER)).toBe(true);
    expect(hops.verify(received(hop, { url: '/v1/instances/inst_2/qr' }), HEADER)).toBe(false);
    expect(hops.verify(received(hop, { method: 'DELETE' }), HEADER)).toBe(false);
    expect(hops.verify(received(hop, { authorization: 'Bearer wiu_b' }), HEADER)).toBe(false);
    expect(createNodeHops({ clock: at(1_000_000), secretsKey: key(2) }).verify(received(hop), HEADER)).toBe(false);
    expect(createNodeHops({ clock: at(1_000_000 + HOP_VALIDITY_MS + 1), secretsKey: key(1) }).verify(received(hop), HEADER)).toBe(false);
    expect(hops.verify(received('node_a'), HEADER)).toBe(false);
    expect(hops.verify(received(`${hop}x`), HEADER)).toBe(false);
  });

  it('trusts a hop signed with the previous key while SECRETS_KEY rotates', () => {
    const old = createNodeHops({ clock: at(5), secretsKey: key(1) });
    const rotated = createNodeHops({ clock: at(5), secretsKey: key(2), previousSecretsKey: key(1) });
    expect(rotated.verify(received(old.sign('node_a', request)), HEADER)).toBe(true);
  });
});
