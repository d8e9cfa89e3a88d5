import { createMediaStore } from './media-store.js';
import { describeMediaStoreContract } from '../../testing/contracts/media-store.contract.js';

describeMediaStoreContract(
  'in-process LRU',
  async ({ clock, maxBytes, ttlMs }) => ({ store: createMediaStore({ clock, maxBytes, ttlMs }) }),
  { evictsLeastRecentlyUsed: true },
);
