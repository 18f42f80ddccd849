import path from 'node:path';
import { Limits } from '@civtag/api-models';
import { readGenerationMetadata, readSidecar } from '@civtag/core-fs';
import { normalizeTag, promptToTags } from '@civtag/tags';

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
 * `tagsFromMetadata`, or nothing. The trigger word, when given, comes first. Tags that break
 * a rule (too long, a comma) are left out.
 *
 * @throws CivtagError `IO_ERROR` when a caption file beside the image cannot be read.
 */
export async function readSourceCaption(
  imagePath: string,
  options: { tagsFromMetadata: boolean; triggerWord?: string | undefined },
): Promise<SourceCaption> {
  const stem = path.join(
    path.dirname(imagePath),
    path.basename(imagePath, path.extname(imagePath)),
  );
  let caption: SourceCaption = { tags: [], from: 'none' };
  for (const extension of CAPTION_EXTENSIONS) {
    const sidecar = await readSidecar(`${stem}${extension}`);
    if (sidecar !== null) {
      caption = { tags: sidecar.tags, from: 'sidecar' };
      if (sidecar.extraLines.length > 0) caption.extraLines = [...sidecar.extraLines];
      break;
    }
  }
  if (caption.from === 'none' && options.tagsFromMetadata) {
    const metadata = await readGenerationMetadata(imagePath);
    if (metadata !== null && metadata.prompt.trim() !== '') {
      caption = { tags: promptToTags(metadata.prompt), from: 'metadata' };
    }
  }
  caption.tags = cleanTags(caption.tags, options.triggerWord);
  return caption;
}

/** Normalised, valid, without duplicates, at most the per-image limit, trigger word first. */
function cleanTags(tags: readonly string[], triggerWord: string | undefined): string[] {
  const seen = new Set<string>();
  const clean: string[] = [];
  if (triggerWord !== undefined) {
    seen.add(triggerWord);
    clean.push(triggerWord);
  }
  for (const tag of tags) {
    let normalized: string;
    try {
      normalized = normalizeTag(tag);
    } catch {
      // A tag the dataset cannot hold (a comma, over the length limit) is dropped, not the image.
      continue;
    }
    if (normalized === '' || seen.has(normalized)) continue;
    seen.add(normalized);
    clean.push(normalized);
    if (clean.length >= Limits.tagsPerImage) break;
  }
  return clean;
}
