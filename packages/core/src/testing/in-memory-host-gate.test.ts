import { describe, expect, it } from 'vitest';
import { describeHostGateContract } from './contracts/host-gate.contract.js';
import { createFakeClock } from './fake-clock.js';
import { createInMemoryHostGate } from './in-memory-host-gate.js';

describeHostGateContract('in-memory', async (options) => createInMemoryHostGate(options));

describe('in-memory host gate with a fake clock', () => {
  it('frees a slot exactly when its lease expires', async () => {
    const clock = createFakeClock();
    const gate = createInMemoryHostGate({ limit: 1, leaseMs: 1_000, clock });
    expect(await gate.tryAcquire('h.example')).not.toBeNull();
    clock.advance(999);
    expect(await gate.tryAcquire('h.example')).toBeNull();
    clock.advance(1);
    expect(await gate.tryAcquire('h.example')).not.toBeNull();
  });
});
