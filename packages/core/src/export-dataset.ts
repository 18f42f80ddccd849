import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  type CaptionOptions,
  type ExportOptions,
  ExportOptionsSchema,
  parseOrThrow,
} from '@civtag/api-models';
import { captionStyle } from './caption-text.js';
import { exportKohya, type KohyaExportResult } from './export-kohya.js';
import { exportZip } from './export-zip.js';
import { ImageIndex } from './image-index.js';
import type { DatasetState } from './state-schema.js';

/**
 * Exports the images of `state` that are not excluded, with their captions: a zip stream, or a
 * kohya folder `<outDir>/<repeats>_<trigger word or prefix>/` (repeats default: the dataset's
 * `kohyaRepeats` setting). Captions follow the dataset's tag style, `captionOverrides` on top. What
 * `Dataset.export` and `DatasetView.export` do.
 *
 * @throws CivtagError `VALIDATION` (at once, nothing written) for options that do not fit
 *   `ExportOptionsSchema`; `CONFLICT` when the kohya folder exists and is not empty.
 */
export function exportDataset(
  dir: string,
  state: DatasetState,
  options: ExportOptions,
  captionOverrides: Partial<CaptionOptions>,
): Readable | Promise<KohyaExportResult> {
  const valid = parseOrThrow(ExportOptionsSchema, options, 'export options');
  const captions = captionStyle(state.settings, captionOverrides);
  // Copied now: an export that runs while the dataset changes writes the state it started from.
  const images = ImageIndex.for(state)
    .order.filter((image) => !image.excluded)
    .map((image) => ({ file: image.file, tags: [...image.tags], extraLines: image.extraLines }));
  if (valid.format === 'zip') return exportZip(dir, images, captions);
  const { kohyaRepeats, triggerWord, prefix } = state.settings;
  const folder = `${valid.repeats ?? kohyaRepeats}_${triggerWord ?? prefix}`;
  return exportKohya(dir, images, { captions, outDir: path.join(valid.outDir, folder) });
}
