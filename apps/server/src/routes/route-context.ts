import type { Dataset } from '@civtag/core';
import type { VocabularyEntry } from '@civtag/tags';
import type { AutoTagRunner } from '../auto-tag-runner.js';
import type { OpRunner } from '../op-runner.js';
import type { ThumbnailCache } from '../thumbnail-cache.js';

/** What the routes share: the dataset, the one op road, and the server's configuration. */
export interface RouteContext {
  dataset: Dataset;
  ops: OpRunner;
  /** Auto-tag jobs with the server's tagger (refused when it has none). */
  autoTag: AutoTagRunner;
  thumbnails: ThumbnailCache;
  serverVersion: string;
  /** Folders `POST /api/imports` may read from (absolute); empty means imports only from the CLI. */
  importRoots: readonly string[];
  vocabulary: readonly VocabularyEntry[];
}
