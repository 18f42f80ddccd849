import { CivtagError, type CivtagErrorOptions, type ErrorCode } from '@civtag/api-models';

/** The codes a {@link ProtocolError} carries. */
export type ProtocolErrorCode = typeof ErrorCode.PROTOCOL | typeof ErrorCode.TOO_LARGE;

/** What a frame got wrong, for programs; the message says it for people. */
export type ProtocolProblem =
  | 'size'
  | 'encoding'
  | 'json'
  | 'envelope'
  | 'version'
  | 'type'
  | 'shape';

/** Facts about a refused frame. `frameType` and `frameId` are there when they could be read. */
export interface ProtocolErrorDetails extends Record<string, unknown> {
  problem: ProtocolProblem;
  frameType?: string;
  frameId?: string;
}

/**
 * A frame that cannot be encoded or decoded: `TOO_LARGE` when it is over the byte limit,
 * `PROTOCOL` when it is not UTF-8, not JSON, not a frame of this protocol version, of an
 * unknown type, or of the wrong shape. `details.problem` says which; a server can use
 * `details.frameId` to answer a malformed `op` with a `reject` for that op id.
 */
export class ProtocolError extends CivtagError {
  declare readonly code: ProtocolErrorCode;
  declare readonly details: ProtocolErrorDetails;

  constructor(
    code: ProtocolErrorCode,
    message: string,
    options: CivtagErrorOptions & { details: ProtocolErrorDetails },
  ) {
    super(code, message, options);
    this.name = 'ProtocolError';
  }
}
