import { readFileSync } from 'node:fs';

/** Used when the limit cannot be read (not Linux, no /proc): the usual soft limit of a Linux shell. */
export const DEFAULT_OPEN_FILE_LIMIT = 1024;

export interface OpenFileLimit {
  /** The soft RLIMIT_NOFILE: how many descriptors (sockets included) this process may hold. */
  readonly limit: number;
  /** Where `limit` came from. */
  readonly source: 'proc' | 'default';
}

/**
 * The process's soft open-file limit. Node has no API for getrlimit, so it is read from `/proc/self/limits`
 * (Linux); anywhere else, or if the line is missing, the conservative default is assumed. "unlimited"
 * counts as a million: the caps derived from it stay finite.
 */
export function readOpenFileLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): OpenFileLimit {
  let text: string;
  try {
    text = read();
  } catch {
    return { limit: DEFAULT_OPEN_FILE_LIMIT, source: 'default' };
  }
  const match = /^Max open files\s+(\d+|unlimited)\s+/m.exec(text);
  if (match === null) return { limit: DEFAULT_OPEN_FILE_LIMIT, source: 'default' };
  return { limit: match[1] === 'unlimited' ? 1_048_576 : Number(match[1]), source: 'proc' };
}
