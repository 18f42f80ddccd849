import path from 'node:path';
import { Limits, type TagStyle } from '@civtag/api-models';
import { readGenerationMetadata, readSidecar } from '@civtag/core-fs';
import { foldTag, normalizeTag, promptToTags, styleTag } from '@civtag/tags';

/** A caption for an image about to be imported, and where it came from. */
export interface SourceCaption {
  tags: string[];
  extraLines?: string[];
  from: 'sidecar' | 'metadata' | 'none';
}

/** The caption files looked for beside a source image, in order. */
const CAPTION_EXTENSIONS = ['.txt', '.caption'];

/**
 * The caption of a source image, from (in order) a caption file beside it with the same
 * stem (`.txt`, then `.caption`), the prompt in its generation metadata when
 * `tagsFromMetadata`, or nothing. The trigger word, when given, comes first. Tags are stored
 * in the tag style, one form per tag (`foldTag`); tags that break a rule (too long, a comma)
 * are left out. `bytes`, when the image was read already, spare reading it again for metadata.
 *
 * @throws CivtagError `IO_ERROR` when a caption file beside the image cannot be read.
 */
export async function readSourceCaption(
  imagePath: string,
  options: {
    tagsFromMetadata: boolean;
    triggerWord?: string | undefined;
    tagStyle?: TagStyle | undefined;
    bytes?: Uint8Array;
  },
): Promise<SourceCaption> {
  let caption: SourceCaption = { tags: [], from: 'none' };
  const sidecar = await readSourceSidecar(imagePath);
  if (sidecar !== null) {
    caption = { tags: sidecar.tags, from: 'sidecar' };
    if (sidecar.extraLines.length > 0) caption.extraLines = [...sidecar.extraLines];
  }
  if (caption.from === 'none' && options.tagsFromMetadata) {
    const metadata = await readGenerationMetadata(options.bytes ?? imagePath);
    if (metadata !== null && metadata.prompt.trim() !== '') {
      caption = { tags: promptToTags(metadata.prompt), from: 'metadata' };
    }
  }
  caption.tags = cleanTags(caption.tags, options.triggerWord, options.tagStyle);
  return caption;
}

/**
 * The caption file beside a source image (`.txt`, then `.caption`), read, or `null`.
 *
 * @throws CivtagError `IO_ERROR` when it exists but cannot be read.
 */
export async function readSourceSidecar(
  imagePath: string,
): Promise<Awaited<ReturnType<typeof readSidecar>>> {
  const stem = path.join(
    path.dirname(imagePath),
    path.basename(imagePath, path.extname(imagePath)),
  );
  for (const extension of CAPTION_EXTENSIONS) {
    const sidecar = await readSidecar(`${stem}${extension}`);
    if (sidecar !== null) return sidecar;
  }
  return null;
}

/**
 * Normalised, valid, in the tag style, one form per tag, at most the per-image limit, trigger
 * word first (a tag that folds to it is it). An import applies it when it places an image, with
 * the settings of that moment, so a trigger word or style changed during the import reaches
 * every image it places afterwards.
 */
export function cleanTags(
  tags: readonly string[],
  triggerWord: string | undefined,
  tagStyle: TagStyle | undefined,
): string[] {
  const seen = new Set<string>();
  const clean: string[] = [];
  if (triggerWord !== undefined) {
    seen.add(foldTag(triggerWord));
    clean.push(triggerWord);
  }
  for (const tag of tags) {
    let stored: string;
    try {
      stored = tagStyle === undefined ? normalizeTag(tag) : styleTag(tag, tagStyle);
    } catch {
      // A tag the dataset cannot hold (a comma, over the length limit) is dropped, not the image.
      continue;
    }
    const folded = foldTag(stored);
    if (seen.has(folded)) continue;
    seen.add(folded);
    clean.push(stored);
    if (clean.length >= Limits.tagsPerImage) break;
  }
  return clean;
}
