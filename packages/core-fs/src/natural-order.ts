const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Compares two names the way a file manager sorts them: digits by their value (`img2` before
 * `img10`), letters without regard to case or accents, and then, so that the order is total
 * and the same everywhere, by code unit.
 */
export function compareNaturally(left: string, right: string): number {
  const byCollation = collator.compare(left, right);
  if (byCollation !== 0) return byCollation;
  return left < right ? -1 : left > right ? 1 : 0;
}
