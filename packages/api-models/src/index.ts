export type {
  AutoTagFailure,
  AutoTagMode,
  AutoTagProgress,
  AutoTagRequest,
  AutoTagStatus,
  TaggerThreshold,
} from './auto-tag.js';
export {
  AutoTagFailureSchema,
  AutoTagModeSchema,
  AutoTagProgressSchema,
  AutoTagRequestSchema,
  AutoTagStatusSchema,
  TaggerThresholdSchema,
} from './auto-tag.js';
export type { Change, ChangeOrigin, ImageChange } from './change.js';
export { ChangeOriginSchema, ChangeSchema, ImageChangeSchema } from './change.js';
export type { CheckProblem, CheckProblemCode, CheckReport } from './check.js';
export { CheckProblemCodeSchema, CheckProblemSchema, CheckReportSchema } from './check.js';
export type { CivtagErrorOptions, ErrorBody } from './errors.js';
export {
  CivtagError,
  ErrorCode,
  fileSystemErrorCode,
  RETRYABLE_ERROR_CODES,
  toErrorBody,
} from './errors.js';
export type { ExportOptions, KohyaExportOptions, ZipExportOptions } from './export-options.js';
export { ExportOptionsSchema, KohyaRepeatsSchema } from './export-options.js';
export type {
  CaptionProgress,
  ChangesResponse,
  DatasetResponse,
  HealthResponse,
  ImagesPage,
  ImagesQuery,
  ImportDuplicate,
  ImportFailure,
  ImportOptions,
  ImportProgress,
  ImportRequest,
  ImportRootsResponse,
  ImportStarted,
  NearDuplicatesResponse,
  OpRequest,
  OpResponse,
  TagCount,
  TagsQuery,
  TagsResponse,
} from './http.js';
export {
  CaptionProgressSchema,
  ChangesResponseSchema,
  DatasetResponseSchema,
  ErrorBodySchema,
  HealthResponseSchema,
  ImagesPageSchema,
  ImagesQuerySchema,
  ImportDuplicateSchema,
  ImportFailureSchema,
  ImportOptionsSchema,
  ImportProgressSchema,
  ImportRequestSchema,
  ImportRootsResponseSchema,
  ImportStartedSchema,
  NearDuplicatesResponseSchema,
  OpRequestSchema,
  OpResponseSchema,
  TagCountSchema,
  TagsQuerySchema,
  TagsResponseSchema,
} from './http.js';
export type { ImageFormat, ImageId, ImageRecord, ImageSource } from './image.js';
export {
  ImageFormatSchema,
  ImageIdSchema,
  ImageRecordSchema,
  ImageSourceSchema,
  PerceptualHashSchema,
  TagListSchema,
} from './image.js';
export { Limits } from './limits.js';
export type { ProgressPace } from './progress-pace.js';
export { describePace, formatDuration, ProgressPaceFields } from './progress-pace.js';
export type { Proposal, Rating } from './proposal.js';
export { ProposalSchema, RatingSchema } from './proposal.js';
export type { CaptionOptions, Settings, Tag, TagStyle } from './settings.js';
export {
  CaptionOptionsSchema,
  DEFAULT_CAPTION_OPTIONS,
  DEFAULT_KOHYA_REPEATS,
  DEFAULT_TAG_STYLE,
  PrefixSchema,
  SettingsSchema,
  TagSchema,
  TagStyleSchema,
} from './settings.js';
export type {
  AcceptProposalsOp,
  AddOp,
  ExcludeOp,
  MoveOp,
  NormalizeOp,
  RejectProposalsOp,
  RemoveOp,
  RenameTagsOp,
  ReplaceOp,
  RestoreOp,
  RestoreProposalsOp,
  SetOp,
  SettingsChanges,
  SettingsOp,
  TagOp,
  TagOpType,
  Target,
} from './tag-op.js';
export {
  AcceptProposalsOpSchema,
  AddOpSchema,
  ClientIdSchema,
  ExcludeOpSchema,
  MoveOpSchema,
  NormalizeOpSchema,
  OpIdSchema,
  RejectProposalsOpSchema,
  RemoveOpSchema,
  RenameTagsOpSchema,
  ReplaceOpSchema,
  RestoreOpSchema,
  RestoreProposalsOpSchema,
  SetOpSchema,
  SettingsChangesSchema,
  SettingsOpSchema,
  TagOpSchema,
  TargetSchema,
} from './tag-op.js';
export type { ValidationIssue } from './validation.js';
export { describeIssue, describeIssues, formatIssuePath, parseOrThrow } from './validation.js';
