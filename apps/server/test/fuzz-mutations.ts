import fc from 'fast-check';

/**
 * Hostile JSON for the fuzz tests: a valid request or frame with one thing broken, so that the
 * case gets past the first check (the envelope, the content type) and reaches the code that
 * trusts what came before it.
 */

/** Values of the wrong type or size, for any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, -0.5, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 2 ** 64),
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -(2 ** 53) - 2),
  fc.constantFrom('', ' ', 'all', 'true', '0', '-1', '1e999', '__proto__', '..', '/', '\u0000'),
  fc.constantFrom({}, [], [null], { all: false }, { ids: [] }, { query: null }),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** JSON text no `JSON.stringify` of a plain value makes: deep nesting, huge literals, bulk. */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 2, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc
    .integer({ min: 2, max: 20_000 })
    .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.constantFrom('1e999', '-1e999', '123456789012345678901234567890', '9007199254740993'),
  fc.constantFrom('-0', '1e-400', '1.0', '1E2', '"\\ud800"', '"\\udc00x"', '"\\u0000"'),
  fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}'),
  fc.constantFrom('{"a":1,"a":2}', '[1,]', '{,}', 'NaN', 'Infinity', 'undefined', "'a'"),
  fc.integer({ min: 1, max: 300_000 }).map((length) => JSON.stringify('x'.repeat(length))),
  fc.integer({ min: 1, max: 60_000 }).map((count) => `[${'"a",'.repeat(count)}"a"]`),
);

/** One way to break a JSON value; `at` picks the node or text offset (modulo what there is). */
export type JsonMutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'replace-text'; at: number; text: string }
  | { kind: 'delete'; at: number }
  | { kind: 'extra-key'; at: number; key: string; value: unknown }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; text: string }
  | { kind: 'none' };

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('replace-text' as const), at: fc.nat(), text: hostileJsonText }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('extra-key' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'v'), fc.string()),
    value: hostileValue,
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    text: fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }),
  }),
  fc.constant({ kind: 'none' as const }),
);

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container | undefined;
  key: string | number;
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Every place in `root` a value sits (the root itself first, with no parent). */
function slots(root: unknown): Slot[] {
  const found: Slot[] = [{ parent: undefined, key: '' }];
  const visit = (value: unknown) => {
    if (!isContainer(value)) return;
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      found.push({ parent: value, key });
      visit((value as Record<string | number, unknown>)[key]);
    }
  };
  visit(root);
  return found;
}

/** Sets an own property even for `__proto__`, which `=` would turn into a prototype change. */
function setOwn(target: Container, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const PLACEHOLDER = '\u0000civtag-fuzz-raw\u0000';

/** `valid` as JSON text with `mutation` applied. */
export function mutateJson(valid: unknown, mutation: JsonMutation): string {
  if (mutation.kind === 'truncate' || mutation.kind === 'splice') {
    const text = JSON.stringify(valid);
    const at = mutation.at % (text.length + 1);
    return mutation.kind === 'truncate'
      ? text.slice(0, at)
      : text.slice(0, at) + mutation.text + text.slice(at);
  }
  let root: unknown = structuredClone(valid);
  if (mutation.kind === 'none') return JSON.stringify(root);
  const all = slots(root);
  const slot = all[mutation.at % all.length] as Slot;
  const put = (value: unknown) => {
    if (slot.parent === undefined) root = value;
    else setOwn(slot.parent, slot.key, value);
  };
  if (mutation.kind === 'replace') put(mutation.value);
  else if (mutation.kind === 'replace-text') put(PLACEHOLDER);
  else if (mutation.kind === 'delete') {
    if (slot.parent === undefined) return '';
    if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
    else delete slot.parent[slot.key];
  } else {
    const containers = all
      .map((candidate) =>
        candidate.parent === undefined
          ? root
          : (candidate.parent as Record<string | number, unknown>)[candidate.key],
      )
      .filter(
        (value): value is Record<string, unknown> => isContainer(value) && !Array.isArray(value),
      );
    const target = containers[mutation.at % Math.max(containers.length, 1)];
    if (target === undefined) return JSON.stringify({ [mutation.key]: mutation.value });
    setOwn(target, mutation.key, mutation.value);
  }
  const text = JSON.stringify(root) ?? '';
  return mutation.kind === 'replace-text'
    ? text.replace(JSON.stringify(PLACEHOLDER), () => mutation.text)
    : text;
}

/** Byte sequences that are not UTF-8: lone continuation bytes, overlong forms, surrogates. */
export const invalidUtf8: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    fc.constantFrom(
      [0xff],
      [0xfe],
      [0x80],
      [0xc3, 0x28],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98],
    ),
  )
  .map((bytes) => Uint8Array.from(bytes));

/** `text` as UTF-8 with `bad` bytes put in at `at` (modulo its length). */
export function spliceBytes(text: string, at: number, bad: Uint8Array): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const offset = at % (bytes.length + 1);
  return Buffer.concat([bytes.subarray(0, offset), bad, bytes.subarray(offset)]);
}
