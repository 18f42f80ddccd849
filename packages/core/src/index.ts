export type {
  CaptionProgress,
  Change,
  CheckProblem,
  CheckReport,
  ExportOptions,
  ImageRecord,
  ImagesPage,
  ImportProgress,
  Settings,
  TagOp,
} from '@civtag/api-models';
export type {
  AutoTagFailure,
  AutoTagJob,
  AutoTagMode,
  AutoTagOptions,
  AutoTagProgress,
  ImageTagger,
  TaggerProposal,
  TaggerResult,
  TaggerSelection,
  TaggerThreshold,
} from './auto-tag-job.js';
export type {
  AppliedChange,
  Dataset,
  DatasetWarning,
  OpMeta,
  RepairResult,
} from './dataset.js';
export type { DatasetEvents, ExternalEdit } from './dataset-events.js';
export type { DatasetView } from './dataset-view.js';
export type { KohyaExportResult } from './export-kohya.js';
export type { ImportJob, ImportJobOptions } from './import-job.js';
export { moveDatasetToStore } from './move-to-store.js';
export type { HashedImage } from './near-duplicates.js';
export {
  findNearDuplicateGroups,
  hammingDistance,
  NEAR_DUPLICATE_DISTANCE,
} from './near-duplicates.js';
export type { CreateDatasetOptions, OpenDatasetOptions } from './open-dataset.js';
export { CIVTAG_FOLDER, createDataset, openDataset } from './open-dataset.js';
export { isDatasetOpenElsewhere, openDatasetReadOnly } from './open-dataset-read-only.js';
export type { ProgressPace } from './progress-rate.js';
export { ProgressRate } from './progress-rate.js';
export type { QueryOptions } from './query-images.js';
export type { StoreNote } from './store-note.js';
export { MOVED_ASIDE_FOLDER, readStoreNote, STORE_NOTE_FILE } from './store-note.js';
