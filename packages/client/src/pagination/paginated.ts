/*
 * Lists are cursor-paged (`{data, next_cursor}`, newest first). `Paginated` walks them lazily: iterating it
 * yields every item, fetching the next page only when the previous one is used up, so breaking out of the
 * loop stops the requests. `pages()` yields whole pages instead.
 */
import type { Page, PageParams } from '../api-types.js';

export type FetchPage<T> = (cursor: string | undefined) => Promise<Page<T>>;

export class Paginated<T> implements AsyncIterable<T> {
  constructor(
    private readonly fetchPage: FetchPage<T>,
    private readonly startCursor?: string,
  ) {}

  /** Every page in turn, starting at the cursor the list was asked with. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.startCursor;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      if (page.next_cursor === null || page.data.length === 0) return;
      cursor = page.next_cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Collects up to `max` items (default: all of them) into an array. */
  async toArray(max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const items: T[] = [];
    if (max <= 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= max) break;
    }
    return items;
  }
}

/** The query of a list request: the page parameters and the list's filters. */
export function pageQuery(params: PageParams & object, cursor: string | undefined): Record<string, string | number | undefined> {
  return { ...(params as Record<string, string | number | undefined>), cursor };
}
