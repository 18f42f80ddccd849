/** Beyond this size, finding the line of a syntax error costs more than it is worth. */
const SEARCH_LIMIT = 4 * 1024 * 1024;

/**
 * The line (from 1) where `JSON.parse(text)` failed with `error`, or `null` when it cannot be
 * told. Newer engines say where; older ones do not, so the first bad character is found by
 * bisection: a prefix that ends before it fails only for ending early.
 */
export function jsonErrorLine(text: string, error: unknown): number | null {
  const message = error instanceof Error ? error.message : '';
  const stated = /line (\d+) column/.exec(message)?.[1];
  if (stated !== undefined) return Number(stated);
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return lineAt(text, Number(position));
  if (text.length > SEARCH_LIMIT) return null;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsBefore(text.slice(0, middle + 1))) high = middle;
    else low = middle + 1;
  }
  return low < text.length ? lineAt(text, low) : lineAt(text, text.length - 1);
}

/** True when `prefix` has a syntax error of its own, not just an early end. */
function failsBefore(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    return !/end of JSON input|Unterminated string/.test((error as Error).message);
  }
}

/** The line (from 1) of the character at `position`. */
export function lineAt(text: string, position: number): number {
  let line = 1;
  let index = text.indexOf('\n');
  while (index !== -1 && index < position) {
    line += 1;
    index = text.indexOf('\n', index + 1);
  }
  return line;
}
