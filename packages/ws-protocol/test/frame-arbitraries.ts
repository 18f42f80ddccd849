import fc from 'fast-check';
import type { ClientFrame, ServerFrame } from '../src/index.js';

/** Values as JSON gives them back (no -0, no undefined), so round trips compare exactly. */
const json = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown);

const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/);
const imageId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const revision = fc.nat();
const tag = fc.string({ minLength: 1, maxLength: 40, unit: 'binary' });
const tags = fc.array(tag, { maxLength: 8 });
const nonEmptyTags = fc.array(tag, { minLength: 1, maxLength: 8 });
const target = fc.oneof(
  fc.record({ ids: fc.array(imageId, { minLength: 1, maxLength: 5 }) }),
  fc.record({ query: fc.string({ maxLength: 60 }) }),
  fc.constant({ all: true as const }),
);

const tagOp = fc.oneof(
  fc.record({ type: fc.constant('set' as const), imageId, tags }),
  fc.record(
    {
      type: fc.constant('add' as const),
      target,
      tags: nonEmptyTags,
      position: fc.oneof(fc.constant('start' as const), fc.constant('end' as const), fc.nat()),
    },
    { requiredKeys: ['type', 'target', 'tags'] },
  ),
  fc.record({ type: fc.constant('remove' as const), target, tags: nonEmptyTags }),
  fc.record({ type: fc.constant('replace' as const), target, from: tag, to: tag }),
  fc.record({ type: fc.constant('move' as const), imageId, tag, index: fc.nat() }),
  fc.record({ type: fc.constantFrom('exclude' as const, 'restore' as const), target }),
);

const imageRecord = fc.record({
  id: imageId,
  file: fc.string(),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/),
  width: fc.nat(),
  height: fc.nat(),
  format: fc.constantFrom('jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'bmp' as const),
  tags,
  rev: revision,
  excluded: fc.boolean(),
});

const proposal = fc.record({
  tag,
  score: fc.double({ min: 0, max: 1, noNaN: true }),
  category: fc.constantFrom('general', 'character' as const),
});

const tagging = fc.record(
  {
    jobId: fc.string(),
    state: fc.constantFrom('running', 'done', 'cancelled', 'failed' as const),
    total: fc.nat(),
    done: fc.nat(),
    scored: fc.nat(),
    skipped: fc.nat(),
    failed: fc.array(
      fc.record({ imageId, file: fc.string(), code: fc.string(), message: fc.string() }),
      { maxLength: 2 },
    ),
    tagged: fc.nat(),
    error: fc.record({ code: fc.string(), message: fc.string() }),
  },
  {
    requiredKeys: ['jobId', 'state', 'total', 'done', 'scored', 'skipped', 'failed', 'tagged'],
  },
);

const change = fc.record(
  {
    revision,
    clientId: id,
    opId: id,
    origin: fc.constantFrom('op', 'undo', 'redo', 'external', 'import', 'tagger' as const),
    changes: fc.array(
      fc.record(
        {
          imageId,
          tags,
          rev: revision,
          excluded: fc.boolean(),
          proposals: fc.array(proposal, { maxLength: 3 }),
          rating: fc.record({
            label: fc.string({ minLength: 1, maxLength: 64 }),
            score: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
        },
        { requiredKeys: ['imageId', 'tags', 'rev'] },
      ),
      { maxLength: 4 },
    ),
    added: fc.array(imageRecord, { maxLength: 2 }),
  },
  { requiredKeys: ['revision', 'changes'] },
);

const problem = fc.record(
  {
    code: fc.string(),
    message: fc.string(),
    details: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), json, { maxKeys: 3 }),
  },
  { requiredKeys: ['code', 'message'] },
);

const progress = fc.record(
  {
    jobId: fc.string(),
    state: fc.constantFrom('running', 'done', 'failed', 'cancelled' as const),
    done: fc.nat(),
    total: fc.nat(),
    failed: fc.nat(),
    current: fc.string(),
    failures: fc.array(fc.record({ path: fc.string(), code: fc.string(), message: fc.string() }), {
      maxLength: 2,
    }),
    duplicates: fc.array(fc.record({ path: fc.string(), duplicateOf: fc.string() }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ['jobId', 'state', 'done', 'total', 'failed', 'failures', 'duplicates'] },
);

const v = fc.constant(1 as const);

/** Every kind of client frame, with every optional field sometimes present. */
export const clientFrame: fc.Arbitrary<ClientFrame> = fc.oneof(
  fc.record({
    v,
    type: fc.constant('hello' as const),
    data: fc.record({ clientId: id, since: revision }, { requiredKeys: ['clientId'] }),
  }),
  fc.record({ v, type: fc.constant('op' as const), id, data: fc.record({ op: tagOp }) }),
  fc.record({ v, type: fc.constant('ping' as const), data: fc.constant({}) }),
);

/** Every kind of server frame, with every optional field sometimes present. */
export const serverFrame: fc.Arbitrary<ServerFrame> = fc.oneof(
  fc.record({
    v,
    type: fc.constant('welcome' as const),
    data: fc.record({ protocol: v, serverVersion: fc.string(), datasetId: fc.string(), revision }),
  }),
  fc.record({ v, type: fc.constant('ack' as const), id, data: fc.record({ revision }) }),
  fc.record({ v, type: fc.constant('reject' as const), id, data: problem }),
  fc.record({ v, type: fc.constant('change' as const), data: change }),
  fc.record({ v, type: fc.constant('reload' as const), data: fc.record({ revision }) }),
  fc.record({ v, type: fc.constant('progress' as const), data: progress }),
  fc.record({
    v,
    type: fc.constant('captions' as const),
    data: fc.record(
      {
        pending: fc.nat(),
        failed: fc.nat(),
        error: fc.record({ code: fc.string(), message: fc.string() }),
      },
      { requiredKeys: ['pending', 'failed'] },
    ),
  }),
  fc.record({ v, type: fc.constant('tagging' as const), data: tagging }),
  fc.record({
    v,
    type: fc.constant('shutdown' as const),
    data: fc.record({ reason: fc.string(), retryAfterMs: fc.nat() }),
  }),
  fc.record({ v, type: fc.constant('error' as const), data: problem }),
  fc.record({ v, type: fc.constant('pong' as const), data: fc.constant({}) }),
);

/** Frame-like JSON: the right envelope around anything, to reach the schema checks. */
export const frameLikeText: fc.Arbitrary<string> = fc
  .record({
    v: fc.oneof(fc.constant(1), json),
    type: fc.oneof(
      fc.constantFrom('hello', 'op', 'ping', 'welcome', 'ack', 'reject', 'change', 'reload'),
      fc.constantFrom('progress', 'captions', 'tagging', 'shutdown', 'error', 'pong'),
      fc.constantFrom('__proto__', 'toString'),
      fc.string(),
    ),
    id: json,
    data: json,
  })
  .map((value) => JSON.stringify(value));
