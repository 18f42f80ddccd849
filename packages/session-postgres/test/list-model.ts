import { CivtagError } from '@civtag/api-models';
import type { SessionOptions } from '@civtag/session';
import * as z from 'zod/mini';

/** A small model to drive sessions in tests: a list of strings. */
export const ListStateSchema = z.object({ items: z.array(z.string()) });
export type ListState = z.infer<typeof ListStateSchema>;

export const ListEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('push'), value: z.string() }),
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
  return {
    result: { length: state.items.length + 1 },
    commit: () => {
      state.items.push(entry.value);
    },
  };
}

/** The options of a list session, without where it is kept. */
export function listOptions(
  overrides: Partial<SessionOptions<ListState, ListEntry, ListResult>> = {},
): SessionOptions<ListState, ListEntry, ListResult> {
  return {
    schema: ListStateSchema,
    entrySchema: ListEntrySchema,
    version: 1,
    initial: () => ({ items: [] }),
    reduce: reduceList,
    ...overrides,
  };
}

export const push = (value: string): ListEntry => ({ type: 'push', value });
