import type { Page, PageInput, Principal } from '../shared/index.js';
import { DomainError, toPageRequest } from '../shared/index.js';
import type { GroupInfo, InstanceLookup } from '../sessions/index.js';

export type ListGroups = (principal: Principal, input: { readonly instanceId: string } & PageInput) => Promise<Page<GroupInfo>>;

/** Newest first, then by id: the order pages walk. */
const order = (a: { at: number; id: string }, b: { at: number; id: string }): number => b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const keyOf = (group: GroupInfo) => ({ at: group.createdAt?.getTime() ?? 0, id: group.id });

/** A cursor names a position (`<created ms>~<group id>`), not a group, so a group that vanished between pages loses nothing. */
export const GROUP_CURSOR = /^(\d{1,15})~(\d{5,24}(?:-\d{5,14})?@g\.us)$/;

function parseCursor(cursor: string): { at: number; id: string } {
  const match = GROUP_CURSOR.exec(cursor);
  if (match === null) throw new DomainError('invalid_input', 'Not a cursor of this list.', { field: 'cursor' });
  return { at: Number(match[1]), id: match[2]! };
}

/**
 * The groups the instance's number is in (`GET …/groups`), asked live: newest first (then by id), a page at a
 * time. Throws invalid_input, not_found, forbidden, not_connected, upstream_timeout, unavailable.
 */
export function createListGroups(deps: { readonly lookup: InstanceLookup }): ListGroups {
  return async (principal, input) => {
    const page = toPageRequest(input);
    const after = page.cursor === null || page.cursor === undefined ? null : parseCursor(page.cursor);
    const groups = await deps.lookup(principal, input.instanceId, (_directory, _instance, groups) => groups.list());
    const sorted = groups.sort((a, b) => order(keyOf(a), keyOf(b)));
    const rest = after === null ? sorted : sorted.filter((group) => order(after, keyOf(group)) < 0);
    const data = rest.slice(0, page.limit);
    const last = data.at(-1);
    return { data, nextCursor: rest.length > page.limit && last !== undefined ? `${keyOf(last).at}~${last.id}` : null };
  };
}
