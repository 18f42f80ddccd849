/**
 * The length of `text` in UTF-8 bytes, counted without encoding it. A lone surrogate counts
 * 3 bytes, as `TextEncoder` writes it (U+FFFD).
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * True when `text` is longer than `maxBytes` in UTF-8. Cheap for most frames: a UTF-16 code
 * unit takes 1 to 3 bytes, so only strings between `maxBytes / 3` and `maxBytes` units are counted.
 */
export function isOverByteLimit(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return utf8Length(text) > maxBytes;
}
