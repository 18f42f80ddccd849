import path from 'node:path';

/** The extensions civtag writes: `.jpeg` (any case) becomes `.jpg`, others are lower-cased. */
export function normalizeExtension(extension: string): string {
  const lower = extension.toLowerCase();
  return lower === '.jpeg' ? '.jpg' : lower;
}

/**
 * The file name of the `number`th image of a dataset: `<prefix>_<NNNN><ext>`, zero-padded
 * to four digits; the width grows past 9999 (`sakura_10000.png`).
 */
export function imageFileName(prefix: string, number: number, extension: string): string {
  return `${prefix}_${String(number).padStart(4, '0')}${normalizeExtension(extension)}`;
}

/** The number in a file name made by {@link imageFileName}, or `undefined` for any other name. */
export function imageNumber(
  prefix: string,
  file: string,
  stem: string = fileStem(file),
): number | undefined {
  if (!stem.startsWith(`${prefix}_`)) return undefined;
  const digits = stem.slice(prefix.length + 1);
  if (!/^\d{4,}$/.test(digits)) return undefined;
  if (digits.length > 4 && digits.startsWith('0')) return undefined;
  return Number(digits);
}

/** `sakura_0001.png` → `sakura_0001`. */
export function fileStem(file: string): string {
  return path.basename(file, path.extname(file));
}

/** The caption sidecar of an image file: `sakura_0001.png` → `sakura_0001.txt`. */
export function captionFileName(file: string): string {
  return `${fileStem(file)}.txt`;
}
