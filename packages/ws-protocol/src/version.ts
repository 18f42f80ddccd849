import { Limits } from '@civtag/api-models';

/**
 * The version of the civtag socket protocol, sent as `v` in every frame and as `protocol`
 * in `welcome`. A side that receives another version refuses the frame with a `PROTOCOL`
 * error; a server closes such a client with {@link CloseCode.PROTOCOL_VERSION_MISMATCH}.
 */
export const PROTOCOL_VERSION = 1 as const;

/** The largest frame either side accepts by default: 1 MiB of UTF-8 (`Limits.frameBytes`). */
export const DEFAULT_MAX_FRAME_BYTES: number = Limits.frameBytes;
