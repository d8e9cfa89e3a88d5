import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A delivery id minted at `at`, in core's id format. core's newId never goes back in time within a
 * process (its ids are monotonic), so ids of past days for partition tests are built here.
 */
export function deliveryIdAt(at: Date): string {
  let ms = at.getTime();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  const random = Array.from(randomBytes(16), (b) => ALPHABET[b % 32]).join('');
  return `dlv_${time}${random}`;
}

/** The UTC day of `at` as a partition suffix, e.g. 20261201. */
export const partitionDay = (at: Date) => at.toISOString().slice(0, 10).replaceAll('-', '');
