import { ClientIdSchema, OpIdSchema, TagOpSchema } from '@civtag/api-models';
import * as z from 'zod/mini';
import { PROTOCOL_VERSION } from './version.js';

const version = z.literal(PROTOCOL_VERSION);
const revision = z.int().check(z.nonnegative());

/** `hello`: must be the first frame; `since` is the last revision the client has seen. */
export const HelloFrameSchema = z.object({
  v: version,
  type: z.literal('hello'),
  data: z.object({ clientId: ClientIdSchema, since: z.optional(revision) }),
});

/** `op`: one tag op; `id` is the op id, chosen by the client and reused when resent. */
export const OpFrameSchema = z.object({
  v: version,
  type: z.literal('op'),
  id: OpIdSchema,
  data: z.object({ op: TagOpSchema }),
});

/** `ping`: asks for a `pong`, so a client can notice a dead connection (browsers cannot send WebSocket pings). */
export const PingFrameSchema = z.object({
  v: version,
  type: z.literal('ping'),
  data: z.object({}),
});

/** Every frame a client sends to the server. */
export const ClientFrameSchema = z.discriminatedUnion('type', [
  HelloFrameSchema,
  OpFrameSchema,
  PingFrameSchema,
]);

export type HelloFrame = z.infer<typeof HelloFrameSchema>;
export type OpFrame = z.infer<typeof OpFrameSchema>;
export type PingFrame = z.infer<typeof PingFrameSchema>;
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];

/** The schema of each client frame type, for decoding with a message that names the type. */
export const clientFrameSchemas = {
  hello: HelloFrameSchema,
  op: OpFrameSchema,
  ping: PingFrameSchema,
} as const satisfies Record<ClientFrameType, z.ZodMiniType>;
