/*
 * The QR a live session is currently showing, and the requests waiting for one. `GET /qr` either gets
 * the current QR at once or waits for the next; it is answered early when the pairing can no longer
 * produce one (connected → `no_qr`, pairing ended or the session stopped → the error given to `fail`).
 * Every wait owns one timer, cleared however the wait ends, so no timer outlives its request.
 */
import { DomainError } from '../shared/index.js';

export interface Qr {
  readonly raw: string;
  readonly pngDataUrl: string;
}

export interface QrSlot {
  readonly current: Qr | null;
  /** Shows a new QR and answers every waiter with it. */
  show(qr: Qr): void;
  /** The QR is no longer valid (scanned, connected): forget it; waiters keep waiting for the next. */
  clear(): void;
  /** No QR will come: forget it and reject every waiter with `error`. */
  fail(error: DomainError): void;
  /** The current QR, or the next one within `waitMs`; else DomainError('unavailable'). */
  next(waitMs: number): Promise<Qr>;
}

interface Waiter {
  resolve(qr: Qr): void;
  reject(error: DomainError): void;
}

export function createQrSlot(): QrSlot {
  let current: Qr | null = null;
  const waiters = new Set<Waiter>();

  return {
    get current() {
      return current;
    },
    show(qr) {
      current = qr;
      for (const waiter of [...waiters]) waiter.resolve(qr);
    },
    clear() {
      current = null;
    },
    fail(error) {
      current = null;
      for (const waiter of [...waiters]) waiter.reject(error);
    },
    next(waitMs) {
      if (current !== null) return Promise.resolve(current);
      return new Promise<Qr>((resolve, reject) => {
        const waiter: Waiter = {
          resolve: (qr) => settle(() => resolve(qr)),
          reject: (error) => settle(() => reject(error)),
        };
        const timer = setTimeout(
          () =>
            waiter.reject(
              new DomainError('unavailable', `No QR code arrived within ${Math.round(waitMs / 1000)} s; try again.`, {
                wait_ms: waitMs,
              }),
            ),
          waitMs,
        );
        function settle(done: () => void): void {
          clearTimeout(timer);
          waiters.delete(waiter);
          done();
        }
        waiters.add(waiter);
      });
    },
  };
}
