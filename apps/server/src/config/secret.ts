import { inspect } from 'node:util';

/**
 * A value that must never be printed. `String(secret)`, JSON and util.inspect all give `[redacted]`;
 * only `reveal()` returns the value, so every use of the plaintext is greppable.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
