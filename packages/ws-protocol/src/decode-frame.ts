import { describeIssues, ErrorCode } from '@civtag/api-models';
import type * as z from 'zod/mini';
import { ProtocolError } from './protocol-error.js';
import { isOverByteLimit } from './utf8-length.js';
import { DEFAULT_MAX_FRAME_BYTES, PROTOCOL_VERSION } from './version.js';

/** Options of the decoders. */
export interface DecodeOptions {
  /** Frames longer than this many UTF-8 bytes are refused with `TOO_LARGE`. Default 1 MiB. */
  maxBytes?: number;
}

/** What a decoder accepts: a text frame as a string, or its bytes (as `ws` in Node gives them). */
export type FrameInput = string | Uint8Array | ArrayBuffer;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function readText(input: unknown, maxBytes: number, side: string): string {
  if (typeof input === 'string') {
    if (isOverByteLimit(input, maxBytes)) throw tooLarge(side, maxBytes);
    return input;
  }
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    if (input.byteLength > maxBytes) throw tooLarge(side, maxBytes);
    try {
      return utf8Decoder.decode(input);
    } catch (cause) {
      throw new ProtocolError(ErrorCode.PROTOCOL, `The ${side} frame is not valid UTF-8 text.`, {
        cause,
        details: { problem: 'encoding' },
      });
    }
  }
  throw new ProtocolError(
    ErrorCode.PROTOCOL,
    `The ${side} frame is not text (got ${input === null ? 'null' : typeof input}); civtag frames are JSON text.`,
    { details: { problem: 'encoding' } },
  );
}

function tooLarge(side: string, maxBytes: number): ProtocolError {
  return new ProtocolError(
    ErrorCode.TOO_LARGE,
    `The ${side} frame is larger than the limit of ${maxBytes} bytes; send less per frame (bulk data belongs on HTTP).`,
    { details: { problem: 'size', maxBytes } },
  );
}

/** Longest part of a string a message quotes. */
const QUOTED_LENGTH = 64;

/**
 * A value a peer sent, quoted for a message: a string in part, a number as it is, an object or
 * array by its kind. Never the whole value: it may be nested deeper than `JSON.stringify` can go
 * (a stack overflow) or megabytes long.
 */
function quoteValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = JSON.stringify(value.slice(0, QUOTED_LENGTH));
    return value.length > QUOTED_LENGTH ? `${shown.slice(0, -1)}…"` : shown;
  }
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function protocolError(message: string, details: ProtocolError['details']): ProtocolError {
  return new ProtocolError(ErrorCode.PROTOCOL, message, { details });
}

/**
 * Decodes one frame with the schema for its `type` in `schemas`. Shared by the client and
 * server decoders; `side` names the direction in messages ("client" or "server").
 */
export function decodeFrame<Frame>(
  input: unknown,
  schemas: Readonly<Record<string, z.ZodMiniType>>,
  side: string,
  options: DecodeOptions = {},
): Frame {
  const text = readText(input, options.maxBytes ?? DEFAULT_MAX_FRAME_BYTES, side);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProtocolError(ErrorCode.PROTOCOL, `The ${side} frame is not valid JSON: ${reason}`, {
      cause,
      details: { problem: 'json' },
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw protocolError(
      `The ${side} frame must be a JSON object like {"v":${PROTOCOL_VERSION},"type":…,"data":…}.`,
      { problem: 'envelope' },
    );
  }
  const envelope = value as Record<string, unknown>;
  const frameType = typeof envelope.type === 'string' ? envelope.type : undefined;
  const frameId = typeof envelope.id === 'string' ? envelope.id : undefined;
  const known = { ...(frameType && { frameType }), ...(frameId && { frameId }) };
  if (envelope.v !== PROTOCOL_VERSION) {
    throw protocolError(
      `The ${side} frame speaks protocol version ${quoteValue(envelope.v)}; this side speaks version ${PROTOCOL_VERSION}. Update or reload the older side.`,
      { problem: 'version', ...known },
    );
  }
  // `hasOwn`, so that a type like "__proto__" or "toString" is unknown rather than a crash.
  const schema =
    frameType !== undefined && Object.hasOwn(schemas, frameType) ? schemas[frameType] : undefined;
  if (schema === undefined) {
    throw protocolError(
      `Unknown ${side} frame type ${quoteValue(envelope.type)}; expected one of ${Object.keys(schemas).join(', ')}.`,
      { problem: 'type', ...known },
    );
  }
  const result = schema.safeParse(envelope);
  if (!result.success) {
    const issues = describeIssues(result.error);
    const text = issues
      .slice(0, 5)
      .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`))
      .join('; ');
    throw new ProtocolError(ErrorCode.PROTOCOL, `Invalid ${frameType} frame: ${text}`, {
      details: { problem: 'shape', ...known, issues },
    });
  }
  return result.data as Frame;
}
