import type { Page, PageInput, Principal } from '../shared/index.js';
import { toPageRequest } from '../shared/index.js';
import type { GroupInfo, InstanceLookup } from '../sessions/index.js';

export type ListGroups = (principal: Principal, input: { readonly instanceId: string } & PageInput) => Promise<Page<GroupInfo>>;

/**
 * The groups the instance's number is in (`GET …/groups`), asked live: newest first (then by id), a page at a
 * time, `cursor` being the last group id of the previous page. Throws invalid_input, not_found, forbidden,
 * not_connected, upstream_timeout, unavailable.
 */
export function createListGroups(deps: { readonly lookup: InstanceLookup }): ListGroups {
  return async (principal, input) => {
    const page = toPageRequest(input);
    const groups = await deps.lookup(principal, input.instanceId, (_directory, _instance, groups) => groups.list());
    const sorted = groups.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const cursor = page.cursor === null || page.cursor === undefined ? null : page.cursor.endsWith('@g.us') ? page.cursor : `${page.cursor}@g.us`;
    const start = cursor === null ? 0 : sorted.findIndex((group) => group.id === cursor) + 1;
    const data = sorted.slice(start, start + page.limit);
    const more = start + page.limit < sorted.length;
    return { data, nextCursor: more ? (data.at(-1)?.id ?? null) : null };
  };
}
