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
