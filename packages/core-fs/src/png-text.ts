import { inflateSync } from 'node:zlib';
import { readPngChunks } from './png-chunks.js';

/** One text entry of a PNG file (`tEXt`, `zTXt` or `iTXt`). */
export interface PngTextEntry {
  keyword: string;
  text: string;
}

/** Compressed text is inflated up to this size, so a small chunk cannot become a memory bomb. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function inflate(bytes: Uint8Array): Uint8Array {
  return inflateSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
}

/** Splits at the first NUL byte: the keyword, and what follows it. */
function splitAtNul(data: Uint8Array): [Uint8Array, Uint8Array] | undefined {
  const end = data.indexOf(0);
  return end < 0 ? undefined : [data.subarray(0, end), data.subarray(end + 1)];
}

function readEntry(type: string, data: Uint8Array): PngTextEntry | undefined {
  const parts = splitAtNul(data);
  if (parts === undefined) return undefined;
  const [keywordBytes, rest] = parts;
  const keyword = latin1.decode(keywordBytes);
  if (type === 'tEXt') return { keyword, text: latin1.decode(rest) };
  if (type === 'zTXt') return { keyword, text: latin1.decode(inflate(rest.subarray(1))) };
  // iTXt: compression flag, compression method, language tag\0, translated keyword\0, text.
  const compressed = rest[0] === 1;
  const language = splitAtNul(rest.subarray(2));
  const translated = language && splitAtNul(language[1]);
  if (translated === undefined) return undefined;
  const body = translated[1];
  return { keyword, text: utf8.decode(compressed ? inflate(body) : body) };
}

/**
 * The text entries of a PNG file, wherever they are (before or after the image data). An entry
 * that cannot be read (bad compression, missing separators) is left out; the rest still count.
 */
export function readPngText(bytes: Uint8Array): PngTextEntry[] {
  const entries: PngTextEntry[] = [];
  for (const chunk of readPngChunks(bytes)) {
    if (chunk.type !== 'tEXt' && chunk.type !== 'zTXt' && chunk.type !== 'iTXt') continue;
    try {
      const entry = readEntry(chunk.type, chunk.data);
      if (entry !== undefined) entries.push(entry);
    } catch {
      // A damaged compressed entry says nothing about the others: skip it.
    }
  }
  return entries;
}

/** The `eXIf` chunk of a PNG file (raw TIFF-structured EXIF), if it has one. */
export function readPngExif(bytes: Uint8Array): Uint8Array | undefined {
  for (const chunk of readPngChunks(bytes)) if (chunk.type === 'eXIf') return chunk.data;
  return undefined;
}
