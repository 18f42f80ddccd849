import type { SessionOptions } from '@civtag/session';
import { type DatasetEntry, DatasetEntrySchema } from './entry-schema.js';
import { migrateVersion1To2, migrateVersion2To3 } from './migrate-state.js';
import type { EntryResult } from './reduce-entry.js';
import { DATASET_STATE_CODEC } from './state-codec.js';
import { type DatasetState, DatasetStateSchema, STATE_VERSION } from './state-schema.js';

/**
 * Turns a saved dataset state of version N into one of version N + 1 (see `STATE_VERSION`).
 * Opening a dataset for writing and reading it read-only both migrate through these.
 */
export const DATASET_MIGRATIONS: Record<number, (old: unknown) => unknown> = {
  1: migrateVersion1To2,
  2: migrateVersion2To3,
};

/**
 * The session options of a dataset's `.civtag/` folder that say how its state is read: shared
 * by `openDataset` and `openDatasetReadOnly`, so that both read the same state the same way.
 */
export function datasetSessionOptions(
  sessionDir: string,
  parts: {
    initial: () => DatasetState;
    reduce: SessionOptions<DatasetState, DatasetEntry, EntryResult>['reduce'];
  },
): SessionOptions<DatasetState, DatasetEntry, EntryResult> {
  return {
    dir: sessionDir,
    schema: DatasetStateSchema,
    entrySchema: DatasetEntrySchema,
    version: STATE_VERSION,
    migrations: DATASET_MIGRATIONS,
    stateCodec: DATASET_STATE_CODEC,
    initial: parts.initial,
    reduce: parts.reduce,
  };
}
