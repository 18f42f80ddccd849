import { readFile } from 'node:fs/promises';
import { readJpegSegments, readWebpExif } from './container-metadata.js';
import { readExifText } from './exif-user-comment.js';
import { type GenerationMetadata, interpretTextEntries } from './generation-parameters.js';
import { detectImageFormat } from './image-format.js';
import { readPngExif, readPngText } from './png-text.js';
import { readStealthPngInfo } from './stealth-png-info.js';

/** Files larger than this are not searched for metadata. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Interprets free text found in EXIF, a comment or hidden pixels. Unlike a PNG `parameters`
 * entry, such text is often a camera's ("OLYMPUS DIGITAL CAMERA"), so only a known generator's
 * form counts: A1111 parameters or one of the JSON forms.
 */
function interpretLooseText(text: string | undefined): GenerationMetadata | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const found = interpretTextEntries(
    new Map([
      ['prompt', text],
      ['invokeai_metadata', text],
      ['parameters', text],
    ]),
  );
  return found?.tool === 'unknown' ? undefined : found;
}

async function readPngMetadata(bytes: Uint8Array): Promise<GenerationMetadata | undefined> {
  const entries = new Map<string, string>();
  for (const entry of readPngText(bytes))
    if (!entries.has(entry.keyword)) entries.set(entry.keyword, entry.text);
  const fromText = interpretTextEntries(entries);
  if (fromText !== undefined) return fromText;
  const exif = readPngExif(bytes);
  const fromExif = exif && interpretLooseText(readExifText(exif));
  if (fromExif !== undefined) return fromExif;
  const hidden = await readStealthPngInfo(bytes);
  return hidden === undefined ? undefined : interpretLooseText(hidden);
}

async function readMetadata(bytes: Uint8Array): Promise<GenerationMetadata | undefined> {
  switch (detectImageFormat(bytes.subarray(0, 32))) {
    case 'png':
      return readPngMetadata(bytes);
    case 'jpeg': {
      const { exif, comments } = readJpegSegments(bytes);
      for (const block of exif) {
        const found = interpretLooseText(readExifText(block));
        if (found !== undefined) return found;
      }
      return interpretLooseText(comments.find((comment) => comment.trim() !== ''));
    }
    case 'webp': {
      const exif = readWebpExif(bytes);
      return exif && interpretLooseText(readExifText(exif));
    }
    default:
      return undefined;
  }
}

/**
 * The prompt an image was generated from, read from what its generator stored in the file:
 * PNG text chunks (`tEXt`, `zTXt`, `iTXt`) of AUTOMATIC1111 (`parameters`), ComfyUI (`prompt`
 * graph), InvokeAI (`invokeai_metadata`, `sd-metadata`, `Dream`), NovelAI (`Description`,
 * `Comment`) and Fooocus (`parameters` JSON); EXIF `UserComment` of JPEG and WebP (and PNG
 * `eXIf`); a JPEG comment; and AUTOMATIC1111's "stealth" parameters hidden in PNG pixels.
 *
 * Takes a path, or the file's bytes when they were read already (an import reads each file once).
 * Never throws: a missing, unreadable or damaged file, or one without a prompt, gives `null`.
 */
export async function readGenerationMetadata(
  input: string | Uint8Array,
): Promise<GenerationMetadata | null> {
  try {
    const bytes = typeof input === 'string' ? await readFile(input) : input;
    if (bytes.length > MAX_FILE_BYTES) return null;
    return (await readMetadata(bytes)) ?? null;
  } catch {
    // By contract: metadata is a bonus, and a file without readable metadata simply has none.
    return null;
  }
}
