/** Newest first; `cursor` is the id of the last item of the previous page (exclusive). */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | null;
}

export interface Page<T> {
  readonly data: T[];
  /** The id to pass as `cursor` for the next page, or null on the last page. */
  readonly nextCursor: string | null;
}

export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

/** Builds a page from up to `limit + 1` rows fetched newest first. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? (data[data.length - 1]?.id ?? null) : null };
}
