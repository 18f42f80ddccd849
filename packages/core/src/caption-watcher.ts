import { type FSWatcher, watch } from 'node:fs';

/** How long the folder must be quiet before changed captions are looked at. */
const DEFAULT_DEBOUNCE_MS = 250;

/**
 * Watches a dataset folder for caption files (`*.txt`) created, changed or removed by
 * anyone, and calls `onChange` with their names once the folder has been quiet for a
 * moment. civtag's own writes are reported too; the caller tells them apart by content.
 * Hidden files (temporary files of atomic writes) are ignored.
 *
 * @returns a function that stops watching.
 */
export function watchCaptions(
  dir: string,
  onChange: (names: Set<string>) => void,
  options: { debounceMs?: number } = {},
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
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name === null || name.startsWith('.') || !name.toLowerCase().endsWith('.txt')) return;
      pending.add(name);
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, debounceMs);
      timer.unref();
    });
    // A watcher that fails (the folder removed) stops; the next open reconciles anyway.
    watcher.on('error', (error) => {
      process.emitWarning(`civtag stopped watching ${dir} for caption edits: ${error.message}`, {
        code: 'CIVTAG_WATCH',
      });
      watcher?.close();
    });
  } catch (error) {
    process.emitWarning(
      `civtag cannot watch ${dir} for caption edits: ${error instanceof Error ? error.message : String(error)}`,
      {
        code: 'CIVTAG_WATCH',
      },
    );
  }
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    watcher?.close();
  };
}
