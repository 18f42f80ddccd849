import {
  AutoTagProgressSchema,
  CaptionProgressSchema,
  ChangeSchema,
  ImportProgressSchema,
  OpIdSchema,
} from '@civtag/api-models';
import * as z from 'zod/mini';
import { PROTOCOL_VERSION } from './version.js';

const version = z.literal(PROTOCOL_VERSION);
const revision = z.int().check(z.nonnegative());
const problem = z.object({
  /** An `ErrorCode` of `@civtag/api-models`; a string so a newer server's codes still decode. */
  code: z.string(),
  message: z.string(),
  details: z.optional(z.record(z.string(), z.unknown())),
});

/** `welcome`: the answer to `hello`; followed by the changes after `since`, or by `reload`. */
export const WelcomeFrameSchema = z.object({
  v: version,
  type: z.literal('welcome'),
  data: z.object({
    protocol: version,
    serverVersion: z.string(),
    datasetId: z.string(),
    revision,
  }),
});

/** `ack`: the op `id` is applied and durable at `revision` (also sent again for a resent op). */
export const AckFrameSchema = z.object({
  v: version,
  type: z.literal('ack'),
  id: OpIdSchema,
  data: z.object({ revision }),
});

/** `reject`: the op `id` was not applied, and why (`VALIDATION`, `NOT_FOUND`, `SHUTTING_DOWN`…). */
export const RejectFrameSchema = z.object({
  v: version,
  type: z.literal('reject'),
  id: OpIdSchema,
  data: problem,
});

/** `change`: an accepted change, sent to every client (the one that made it too). */
export const ChangeFrameSchema = z.object({
  v: version,
  type: z.literal('change'),
  data: ChangeSchema,
});

/** `reload`: the client's `since` is older than the change feed; fetch everything again over HTTP. */
export const ReloadFrameSchema = z.object({
  v: version,
  type: z.literal('reload'),
  data: z.object({ revision }),
});

/** `progress`: how an import job is going. */
export const ProgressFrameSchema = z.object({
  v: version,
  type: z.literal('progress'),
  data: ImportProgressSchema,
});

/**
 * `captions`: how many caption files still wait to be written behind the acknowledged ops
 * (sent as the count moves, at most a few times a second, and once it reaches 0).
 */
export const CaptionsFrameSchema = z.object({
  v: version,
  type: z.literal('captions'),
  data: CaptionProgressSchema,
});

/**
 * `tagging`: how far the server's auto-tag job is (sent as it moves, at most a few times a
 * second, and always when it ends); the images it scores arrive as `change` frames.
 */
export const TaggingFrameSchema = z.object({
  v: version,
  type: z.literal('tagging'),
  data: AutoTagProgressSchema,
});

/** `shutdown`: the server is going away (close 1001 follows); reconnect after `retryAfterMs`. */
export const ShutdownFrameSchema = z.object({
  v: version,
  type: z.literal('shutdown'),
  data: z.object({ reason: z.string(), retryAfterMs: z.int().check(z.nonnegative()) }),
});

/** `error`: the server could not read a frame; the connection stays open. */
export const ErrorFrameSchema = z.object({
  v: version,
  type: z.literal('error'),
  data: problem,
});

/** `pong`: the answer to `ping`. */
export const PongFrameSchema = z.object({
  v: version,
  type: z.literal('pong'),
  data: z.object({}),
});

/** Every frame the server sends to a client. */
export const ServerFrameSchema = z.discriminatedUnion('type', [
  WelcomeFrameSchema,
  AckFrameSchema,
  RejectFrameSchema,
  ChangeFrameSchema,
  ReloadFrameSchema,
  ProgressFrameSchema,
  CaptionsFrameSchema,
  TaggingFrameSchema,
  ShutdownFrameSchema,
  ErrorFrameSchema,
  PongFrameSchema,
]);

export type WelcomeFrame = z.infer<typeof WelcomeFrameSchema>;
export type AckFrame = z.infer<typeof AckFrameSchema>;
export type RejectFrame = z.infer<typeof RejectFrameSchema>;
export type ChangeFrame = z.infer<typeof ChangeFrameSchema>;
export type ReloadFrame = z.infer<typeof ReloadFrameSchema>;
export type ProgressFrame = z.infer<typeof ProgressFrameSchema>;
export type CaptionsFrame = z.infer<typeof CaptionsFrameSchema>;
export type TaggingFrame = z.infer<typeof TaggingFrameSchema>;
export type ShutdownFrame = z.infer<typeof ShutdownFrameSchema>;
export type ErrorFrame = z.infer<typeof ErrorFrameSchema>;
export type PongFrame = z.infer<typeof PongFrameSchema>;
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export type ServerFrameType = ServerFrame['type'];

/** The schema of each server frame type, for decoding with a message that names the type. */
export const serverFrameSchemas = {
  welcome: WelcomeFrameSchema,
  ack: AckFrameSchema,
  reject: RejectFrameSchema,
  change: ChangeFrameSchema,
  reload: ReloadFrameSchema,
  progress: ProgressFrameSchema,
  captions: CaptionsFrameSchema,
  tagging: TaggingFrameSchema,
  shutdown: ShutdownFrameSchema,
  error: ErrorFrameSchema,
  pong: PongFrameSchema,
} as const satisfies Record<ServerFrameType, z.ZodMiniType>;
