import type { Action } from '../api-types.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { pathOf } from '../routes.js';

/** Outbox actions: what the `202 {action_id}` of a block, presence, read, edit or revoke became. */
export class Actions {
  constructor(private readonly transport: Transport) {}

  /** Where the action stands: `queued`, `performed` or `failed` (with its error). */
  get(id: string, options: CallOptions = {}): Promise<Action> {
    return this.transport.json({ method: 'GET', path: pathOf('getAction', { id }), retry: true, signal: options.signal });
  }
}
