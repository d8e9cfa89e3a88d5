/**
 * Whether JSON `text` nests arrays and objects deeper than `maxDepth`. A linear scan of the text (brackets
 * inside strings do not count), run before `JSON.parse`, so a deep document is refused without building it:
 * the parser copes with deep input, but recursive code after it (validation, `JSON.stringify` on the way to
 * the database) overflows the stack on a few kilobytes of `[[[[...`.
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}
