import { type FSWatcher, watch } from 'node:fs';
import type { OwnCaptionWrites } from './own-caption-writes.js';

/** How long the folder must be quiet before changed captions are looked at. */
const DEFAULT_DEBOUNCE_MS = 250;

/**
 * Watches a dataset folder for caption files (`*.txt`) created, changed or removed by
 * anyone, and calls `onChange` with their names once the folder has been quiet for a
 * moment. Hidden files (temporary files of atomic writes) are ignored. civtag's own writes are
 * reported too, except those that `own` accounts for; the caller tells the rest apart by content.
 *
 * @returns a function that stops watching.
 */
export function watchCaptions(
  dir: string,
  onChange: (names: Set<string>) => void,
  options: { debounceMs?: number; own?: OwnCaptionWrites } = {},
): () => void {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const flush = (): void => {
    timer = undefined;
    const names = pending;
    pending = new Set();
    if (names.size > 0) onChange(names);
  };
  const report = (name: string): void => {
    pending.add(name);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
    timer.unref();
  };
  // Names whose expected own write never showed, or whose event was someone else's.
  const stopOwn = options.own?.listen((names) => {
    for (const name of names) report(name);
  });
  try {
    watcher = watch(dir, { persistent: false }, (event, name) => {
      if (name === null || name.startsWith('.') || !name.toLowerCase().endsWith('.txt')) return;
      if (options.own?.claim(name, event) === true) return;
      report(name);
    });
    // A watcher that fails (the folder removed) stops; the next open reconciles anyway.
    watcher.on('error', (error) => {
      process.emitWarning(`civtag stopped watching ${dir} for caption edits: ${error.message}`, {
        code: 'CIVTAG_WATCH',
      });
      stopOwn?.();
      watcher?.close();
    });
  } catch (error) {
    stopOwn?.();
    process.emitWarning(
      `civtag cannot watch ${dir} for caption edits: ${error instanceof Error ? error.message : String(error)}`,
      {
        code: 'CIVTAG_WATCH',
      },
    );
  }
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    stopOwn?.();
    watcher?.close();
  };
}
