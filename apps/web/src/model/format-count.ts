/** One formatter for the page: `toLocaleString()` builds a new one on every call. */
const numberFormat = new Intl.NumberFormat();

/** A number with the browser's digit grouping (`12,345`), as `toLocaleString()` writes it. */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/**
 * A count with its noun, in the singular for exactly one and the plural otherwise: `1 tag`,
 * `3 tags`, `0 images`, `1 match` / `3 matches` (give the plural when it is not `noun + s`).
 * The count is written with the browser's digit grouping, as elsewhere on the page.
 */
export function formatCount(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatNumber(count)} ${count === 1 ? noun : pluralNoun}`;
}
