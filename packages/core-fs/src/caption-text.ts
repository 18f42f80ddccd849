/** The encodings a caption file may be read in. civtag always writes UTF-8 without a BOM. */
export type CaptionEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A caption file's bytes, decoded. */
export interface DecodedCaptionText {
  /** The text, without its byte-order mark. */
  text: string;
  encoding: CaptionEncoding;
  hadBom: boolean;
  warnings: string[];
}

/**
 * Windows-1252 differs from Latin-1 only in 0x80–0x9F. Node 20's `TextDecoder('windows-1252')`
 * decodes those bytes as Latin-1 control characters (so `0x80` is not `€`), hence this table.
 * The five bytes Windows-1252 leaves undefined map to the same code points, as WHATWG says.
 */
const WINDOWS_1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** Decodes Windows-1252 bytes. */
export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const codes = Array.from(bytes.subarray(start, start + 8192), (byte) =>
      byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH.charCodeAt(byte - 0x80) : byte,
    );
    text += String.fromCharCode(...codes);
  }
  return text;
}

function startsWith(bytes: Uint8Array, ...signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/**
 * Decodes a caption file the forgiving way: UTF-8 (with or without a BOM); UTF-16 when a
 * UTF-16 BOM says so (Windows Notepad's "Unicode"); and bytes that are not valid UTF-8 as
 * Windows-1252, the encoding older Windows taggers wrote, with a warning.
 */
export function decodeCaptionText(bytes: Uint8Array, name: string): DecodedCaptionText {
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff)) {
    const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    const text = new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
    return { text, encoding, hadBom: true, warnings: [] };
  }
  const hadBom = startsWith(bytes, 0xef, 0xbb, 0xbf);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8', hadBom, warnings: [] };
  } catch {
    const text = decodeWindows1252(bytes);
    const warning = `${name} is not valid UTF-8; it was read as Windows-1252 and will be written back as UTF-8.`;
    return { text, encoding: 'windows-1252', hadBom: false, warnings: [warning] };
  }
}
