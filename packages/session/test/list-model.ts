import { CivtagError } from '@civtag/api-models';
import * as z from 'zod/mini';
import type { SessionOptions } from '../src/index.js';

/** A small model to drive sessions in tests: a list of strings. */
export const ListStateSchema = z.object({ items: z.array(z.string()) });
export type ListState = z.infer<typeof ListStateSchema>;

export const ListEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('push'), value: z.string() }),
  z.object({ type: z.literal('bulk'), values: z.array(z.string()) }),
  z.object({ type: z.literal('pop') }),
]);
export type ListEntry = z.infer<typeof ListEntrySchema>;

/** The result: the list's length after the entry. */
export type ListResult = { length: number };

export function reduceList(state: ListState, entry: ListEntry) {
  if (entry.type === 'pop') {
    if (state.items.length === 0) {
      throw new CivtagError('VALIDATION', 'Cannot pop from an empty list.');
    }
    return {
      result: { length: state.items.length - 1 },
      commit: () => {
        state.items.pop();
      },
    };
  }
  const values = entry.type === 'push' ? [entry.value] : entry.values;
  return {
    result: { length: state.items.length + values.length },
    commit: () => {
      state.items.push(...values);
    },
  };
}

/** Replays `entries` from scratch, as the expected state after them. */
export function replayList(entries: readonly ListEntry[]): ListState {
  const state: ListState = { items: [] };
  for (const entry of entries) reduceList(state, entry).commit();
  return state;
}

export function listOptions(
  dir: string,
  overrides: Partial<SessionOptions<ListState, ListEntry, ListResult>> = {},
): SessionOptions<ListState, ListEntry, ListResult> {
  return {
    dir,
    schema: ListStateSchema,
    entrySchema: ListEntrySchema,
    version: 1,
    initial: () => ({ items: [] }),
    reduce: reduceList,
    ...overrides,
  };
}

/**
 * The entry the crash test applies at `revision`: mostly pushes, a bulk every 10th, a pop every
 * 7th. Deterministic, so that the state after revision N can be computed from N alone.
 */
export function expectedEntry(revision: number): ListEntry {
  if (revision % 10 === 0) {
    return {
      type: 'bulk',
      values: Array.from({ length: 20 }, (_, index) => `b${revision}.${index}`),
    };
  }
  if (revision % 7 === 0) return { type: 'pop' };
  return { type: 'push', value: `p${revision}` };
}

/** The state after applying `expectedEntry(1..revision)` from scratch. */
export function expectedState(revision: number): ListState {
  return replayList(Array.from({ length: revision }, (_, index) => expectedEntry(index + 1)));
}

/** How many entries the batch that starts at `revision` holds in the crash test: 1 to 12. */
export function batchSize(revision: number): number {
  return 1 + ((revision * 7) % 12);
}
