import fc from 'fast-check';
import {
  hostileJsonText,
  hostileValue,
  invalidUtf8,
  jsonMutation,
  mutateJson,
  spliceBytes,
} from './fuzz-mutations.js';
import { validOp } from './fuzz-ops.js';

/** One frame a fuzzed client sends, and whether `ws` sends it as text or binary. */
export interface PlannedFrame {
  payload: string | Buffer;
  binary: boolean;
  /** What the frame is, in words, for a failure message. */
  describe: string;
}

const opIds = fc.constantFrom('op-1', 'op-2', 'op-3', 'op-4', 'op-5', 'op-6', 'op-7', 'op-8');

function opFrame(op: unknown, opId: string): Record<string, unknown> {
  return { v: 1, type: 'op', id: opId, data: { op } };
}

/** `text` as a frame, described by `kind` and the first of its text. */
function textFrame(kind: string, text: string): PlannedFrame {
  const frame: PlannedFrame = {
    payload: text,
    binary: false,
    describe: `${kind}: ${text.slice(0, 400)}`,
  };
  return frame;
}

/**
 * The frames of a fuzzed connection after its `hello`: valid ops (some resent under an id
 * already used), ops with one field broken, frame-like JSON of any shape, pings, a second
 * `hello`, deep nesting, binary frames, text frames that are not UTF-8, frames over the limit.
 */
export function plannedFrames(
  imageIds: readonly string[],
  maxFrameBytes: number,
): fc.Arbitrary<PlannedFrame[]> {
  const op = validOp(imageIds);
  const frame: fc.Arbitrary<PlannedFrame> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(op, opIds)
        .map(([valid, opId]) => textFrame('op', JSON.stringify(opFrame(valid, opId)))),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(op, opIds, jsonMutation)
        .map(([valid, opId, mutation]) =>
          textFrame('broken op', mutateJson(opFrame(valid, opId), mutation)),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          v: fc.oneof(fc.constant(1), hostileValue),
          type: fc.oneof(
            fc.constantFrom('hello', 'op', 'ping', 'ack', 'welcome', '__proto__'),
            fc.string(),
          ),
          id: hostileValue,
          data: hostileValue,
        })
        .map((value) => textFrame('frame-like', JSON.stringify(value))),
    },
    { weight: 1, arbitrary: fc.constant(textFrame('ping', '{"v":1,"type":"ping","data":{}}')) },
    {
      weight: 1,
      arbitrary: fc.constant(
        textFrame('second hello', '{"v":1,"type":"hello","data":{"clientId":"again"}}'),
      ),
    },
    {
      weight: 1,
      arbitrary: hostileJsonText.map((text) =>
        textFrame('hostile JSON', `{"v":1,"type":"op","id":"op-9","data":${text}}`),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.tuple(op, opIds).map(([valid, opId]): PlannedFrame => {
          const text = JSON.stringify(opFrame(valid, opId));
          return { payload: Buffer.from(text), binary: true, describe: `binary op: ${text}` };
        }),
        fc.uint8Array({ maxLength: 64 }).map(
          (bytes): PlannedFrame => ({
            payload: Buffer.from(bytes),
            binary: true,
            describe: `binary: ${Buffer.from(bytes).toString('latin1')}`,
          }),
        ),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(op, opIds, fc.nat(), invalidUtf8).map(([valid, opId, at, bad]) => {
        const payload = spliceBytes(JSON.stringify(opFrame(valid, opId)), at, bad);
        return {
          payload,
          binary: false,
          describe: `not UTF-8: ${payload.toString('latin1').slice(0, 200)}`,
        };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        payload: `{"v":1,"type":"ping","data":{"pad":"${'x'.repeat(maxFrameBytes)}"}}`,
        binary: false,
        describe: 'over the frame limit',
      }),
    },
  );
  return fc.array(frame, { minLength: 1, maxLength: 10 });
}

/** The first frame of a connection: a `hello` mostly, sometimes a broken one or none. */
export const helloFrame: fc.Arbitrary<PlannedFrame | undefined> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .option(fc.constantFrom(0, 1, 5, 1_000_000, 2 ** 53), { nil: undefined })
      .map((since) =>
        textFrame(
          'hello',
          JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'fuzz', since } }),
        ),
      ),
  },
  {
    weight: 2,
    arbitrary: jsonMutation.map((mutation) =>
      textFrame(
        'broken hello',
        mutateJson({ v: 1, type: 'hello', data: { clientId: 'fuzz', since: 0 } }, mutation),
      ),
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
