import { describe, expect, it } from 'vitest';
import { isDomainError } from '../shared/index.js';
import { assertRequestAllowed, canTransition, statusesAllowing } from './instance-lifecycle.js';

describe('instance lifecycle', () => {
  it('allows the pairing path pending → qr_required → connecting → connected ↔ reconnecting', () => {
    expect(canTransition('pending', 'qr_required')).toBe(true);
    expect(canTransition('qr_required', 'connecting')).toBe(true);
    expect(canTransition('connecting', 'connected')).toBe(true);
    expect(canTransition('connected', 'reconnecting')).toBe(true);
    expect(canTransition('reconnecting', 'connected')).toBe(true);
  });

  it('lets a QR rotate while qr_required and reconnect attempts repeat while reconnecting', () => {
    expect(canTransition('qr_required', 'qr_required')).toBe(true);
    expect(canTransition('reconnecting', 'reconnecting')).toBe(true);
  });

  it('reaches disconnected from every live status and leaves it only through a new pairing', () => {
    for (const from of ['pending', 'qr_required', 'connecting', 'connected', 'reconnecting'] as const) {
      expect(canTransition(from, 'disconnected')).toBe(true);
    }
    expect(statusesAllowing('disconnected')).not.toContain('disconnected');
    expect(canTransition('disconnected', 'connected')).toBe(false);
    expect(canTransition('disconnected', 'reconnecting')).toBe(false);
    expect(canTransition('disconnected', 'qr_required')).toBe(true);
  });

  it('never goes back to pending and never shows a QR to a connected instance', () => {
    expect(statusesAllowing('pending')).toEqual([]);
    expect(canTransition('connected', 'qr_required')).toBe(false);
    expect(canTransition('connected', 'connecting')).toBe(false);
  });

  it('lets a drop while pairing come back to a QR: reconnecting → connecting → qr_required', () => {
    expect(canTransition('reconnecting', 'connecting')).toBe(true);
    expect(canTransition('reconnecting', 'qr_required')).toBe(true);
  });

  it.each([
    ['logout', 'pending'],
    ['logout', 'disconnected'],
    ['restart', 'pending'],
    ['restart', 'disconnected'],
    ['pair_code', 'connected'],
    ['pair_code', 'reconnecting'],
    ['pair_code', 'connecting'],
  ] as const)('refuses %s of a %s instance as invalid_lifecycle_transition', (request, status) => {
    let thrown: unknown;
    try {
      assertRequestAllowed(request, status);
    } catch (error) {
      thrown = error;
    }
    expect(isDomainError(thrown, 'invalid_lifecycle_transition')).toBe(true);
  });

  it.each(['connected', 'reconnecting'] as const)('answers a QR request on a %s instance with no_qr', (status) => {
    expect(() => assertRequestAllowed('qr', status)).toThrowError(expect.objectContaining({ code: 'no_qr' }));
  });

  it.each([
    ['connect', 'pending'],
    ['connect', 'disconnected'],
    ['qr', 'pending'],
    ['logout', 'connected'],
    ['logout', 'qr_required'],
    ['restart', 'reconnecting'],
    ['pair_code', 'qr_required'],
  ] as const)('accepts %s of a %s instance', (request, status) => {
    expect(() => assertRequestAllowed(request, status)).not.toThrow();
  });
});
