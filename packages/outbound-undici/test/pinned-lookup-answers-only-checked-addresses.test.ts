import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createPinnedLookup } from '../src/pinned-connector.js';

type Answer = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number | undefined };

function ask(lookup: ReturnType<typeof createPinnedLookup>, name: string, options: object): Promise<Answer> {
  return new Promise((resolve) => lookup(name, options, (error, address, family) => resolve({ error, address, family })));
}

describe('the pinned lookup handed to the socket', () => {
  const lookup = createPinnedLookup('hooks.example.com', ['93.184.216.34', '2606:2800:220:1::1']);

  it('answers every checked address when asked for all (happy eyeballs)', async () => {
    expect(await ask(lookup, 'hooks.example.com', { all: true })).toMatchObject({
      error: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
    });
  });

  it('answers the first checked address of the wanted family otherwise', async () => {
    expect(await ask(lookup, 'hooks.example.com', {})).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(await ask(lookup, 'hooks.example.com', { family: 6 })).toMatchObject({ address: '2606:2800:220:1::1' });
  });

  it('refuses any other name', async () => {
    const answer = await ask(lookup, 'elsewhere.example.com', { all: true });
    expect(answer.error).toMatchObject({ code: 'ENOTFOUND' });
  });
});
