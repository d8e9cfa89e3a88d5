import { describe, expect, it } from 'vitest';
import { DEFAULT_OPEN_FILE_LIMIT, readOpenFileLimit } from '../src/index.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             127431               127431               processes
Max open files            4096                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('readOpenFileLimit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    expect(readOpenFileLimit(() => LIMITS)).toEqual({ limit: 4096, source: 'proc' });
  });

  it('counts "unlimited" as a large finite number', () => {
    expect(readOpenFileLimit(() => LIMITS.replace('4096   ', 'unlimited')).limit).toBe(1_048_576);
  });

  it('falls back to the default when the file cannot be read or has no such line', () => {
    const missing = () => {
      throw new Error('ENOENT');
    };
    expect(readOpenFileLimit(missing)).toEqual({ limit: DEFAULT_OPEN_FILE_LIMIT, source: 'default' });
    expect(readOpenFileLimit(() => 'nothing here')).toEqual({ limit: DEFAULT_OPEN_FILE_LIMIT, source: 'default' });
  });

  it('reads this process\'s real limit on Linux', () => {
    if (process.platform !== 'linux') return;
    const { limit, source } = readOpenFileLimit();
    expect(source).toBe('proc');
    expect(limit).toBeGreaterThan(0);
  });
});
