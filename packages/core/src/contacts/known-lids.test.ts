import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../shared/index.js';
import { aCustomer, anInstance } from '../testing/fixtures.js';
import { createInMemoryEventRecorder } from '../testing/in-memory-event-recorder.js';
import { createInMemoryState } from '../testing/in-memory-state.js';
import { createInMemoryUnitOfWork } from '../testing/in-memory-unit-of-work.js';
import { createIdentifyAuthor } from './identify-author.js';
import { createKnownLids } from './known-lids.js';
import { createLearnLidMapping } from './learn-lid-mapping.js';

const LID = '8765432115194@lid';
const PHONE = '4915112345678';

/** Two processes over one store: each learns and identifies with a cache of its own. */
async function setup() {
  const state = createInMemoryState();
  const uow = createInMemoryUnitOfWork({ state });
  const customer = await uow.repos.customers.create(aCustomer());
  const instance = await uow.repos.instances.create(anInstance(customer.id, { kind: 'sandbox', status: 'connected' }));
  const events = createInMemoryEventRecorder();
  const process = () => {
    const known = createKnownLids();
    const learn = createLearnLidMapping({ uow, events, clock: systemClock, known });
    return { learn, identify: createIdentifyAuthor({ uow, learn, known }) };
  };
  const writes = vi.spyOn(uow, 'transaction');
  const reads = vi.spyOn(uow.repos.lids, 'phoneNumberOf');
  const resolved = () => events.envelopes().filter((envelope) => envelope.event === 'contact.resolved');
  return { instance, here: process(), elsewhere: process(), writes, reads, resolved };
}

describe('LIDs this process knows are stored', () => {
  it('learns a mapping once: the same sender again costs no write and fires nothing', async () => {
    const { instance, here, writes, resolved } = await setup();
    expect(await here.learn(instance, { lid: LID, phoneNumber: PHONE })).toBe(true);
    expect(await here.learn(instance, { lid: LID, phoneNumber: PHONE })).toBe(false);
    expect(await here.identify(instance, { lid: LID, phoneNumber: PHONE })).toEqual({ lid: LID, phoneNumber: PHONE });
    expect(writes).toHaveBeenCalledTimes(1);
    expect(resolved()).toHaveLength(1);
  });

  it('writes once when another process stored the LID first, then knows it is there', async () => {
    const { instance, here, elsewhere, writes, resolved } = await setup();
    expect(await elsewhere.learn(instance, { lid: LID, phoneNumber: PHONE })).toBe(true);
    expect(await here.learn(instance, { lid: LID, phoneNumber: '4915199999999' })).toBe(false);
    expect(await here.learn(instance, { lid: LID, phoneNumber: '4915199999999' })).toBe(false);
    expect(writes).toHaveBeenCalledTimes(2);
    expect(resolved()).toHaveLength(1);
  });

  it('answers a LID-only sender from what it learnt or read, and looks again after a miss', async () => {
    const { instance, here, elsewhere, reads } = await setup();
    expect(await here.identify(instance, { lid: LID, phoneNumber: null })).toEqual({ lid: LID, phoneNumber: null });
    await elsewhere.learn(instance, { lid: LID, phoneNumber: PHONE });
    expect(await here.identify(instance, { lid: LID, phoneNumber: null })).toEqual({ lid: LID, phoneNumber: PHONE });
    expect(await here.identify(instance, { lid: LID, phoneNumber: null })).toEqual({ lid: LID, phoneNumber: PHONE });
    expect(reads).toHaveBeenCalledTimes(2);

    await here.learn(instance, { lid: '1111111111111@lid', phoneNumber: '4915111111111' });
    expect(await here.identify(instance, { lid: '1111111111111@lid', phoneNumber: null })).toEqual({ lid: '1111111111111@lid', phoneNumber: '4915111111111' });
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('keeps at most its bound, dropping the least recently used, and never trades a known number for null', () => {
    const known = createKnownLids(2);
    known.remember('c', 'a@lid', '4915100000001');
    known.remember('c', 'b@lid', null);
    expect(known.get('c', 'a@lid')).toBe('4915100000001');
    known.remember('c', 'd@lid', '4915100000003');
    expect(known.get('c', 'b@lid')).toBeUndefined();
    expect(known.get('c', 'a@lid')).toBe('4915100000001');
    known.remember('c', 'a@lid', null);
    expect(known.get('c', 'a@lid')).toBe('4915100000001');
    expect(known.get('other', 'a@lid')).toBeUndefined();
  });
});
