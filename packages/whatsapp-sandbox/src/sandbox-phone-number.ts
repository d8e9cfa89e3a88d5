/*
 * The sandbox's phone numbers are fake but well-formed MSISDNs: country code 999 (unassigned by the ITU,
 * so no sandbox number can ever be a real subscriber), then 10 digits derived from the instance id. The
 * same instance always gets the same number, so a resumed sandbox instance reconnects as itself without
 * storing anything but the fact that it was paired.
 */
import { createHash } from 'node:crypto';

export const SANDBOX_COUNTRY_CODE = '999';

export function sandboxPhoneNumber(instanceId: string): string {
  const digest = createHash('sha256').update(instanceId).digest();
  return SANDBOX_COUNTRY_CODE + (digest.readBigUInt64BE(0) % 10_000_000_000n).toString().padStart(10, '0');
}
