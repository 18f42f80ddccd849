import {
  describePace,
  formatDuration,
  type ImportProgress,
  type ImportRootsResponse,
} from '@civtag/api-models';
import { useEffect, useState } from 'preact/hooks';
import { httpApi } from '../api/http-api.js';
import { formatCount } from '../model/format-count.js';
import type { AppStore } from '../state/app-store.js';
import { Modal } from './modal.js';

const POLL_MS = 700;

/**
 * Import a folder: the folders under the server's import roots (never a free path), a progress
 * bar fed by the socket's `progress` frames and `GET /api/imports/:id`, and the files that
 * failed and why.
 */
export function ImportDialog({ store }: { store: AppStore }) {
  const [roots, setRoots] = useState<ImportRootsResponse['roots'] | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [recursive, setRecursive] = useState(true);
  const [fromMetadata, setFromMetadata] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    httpApi.importRoots().then(
      (answer) => setRoots(answer.roots),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, []);

  useEffect(() => {
    if (jobId === null) return;
    let stopped = false;
    const live = store.liveConnection?.on('progress', (frame) => {
      if (frame.jobId !== jobId) return;
      setProgress(frame);
    });
    const poll = async () => {
      while (!stopped) {
        try {
          const answer = await httpApi.importProgress(jobId);
          setProgress(answer);
          if (answer.state !== 'running') {
            void store.reloadAll();
            return;
          }
        } catch (failure) {
          setError(failure instanceof Error ? failure.message : String(failure));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    void poll();
    return () => {
      stopped = true;
      live?.();
    };
  }, [jobId]);

  const start = async () => {
    if (source === null) return;
    setError(null);
    try {
      const answer = await httpApi.startImport(source, {
        recursive,
        tagsFromMetadata: fromMetadata,
      });
      setJobId(answer.jobId);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const folders =
    roots?.flatMap((root) => root.folders.map((folder) => ({ ...folder, root: root.root }))) ?? [];
  return (
    <Modal store={store} title="Import a folder" wide>
      {error !== null ? (
        <p class="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {jobId === null ? (
        <>
          {roots === null ? <p class="muted">Listing the folders you may import from…</p> : null}
          {roots !== null && folders.length === 0 ? (
            <p class="muted">
              No import folder is configured. Start the server with <code>--import-root DIR</code>{' '}
              to import from the browser, or run <code>civtag import SOURCE --out DATASET</code>.
            </p>
          ) : null}
          {folders.length > 0 ? (
            <fieldset class="field-group folder-list">
              <legend class="field-label">Folder</legend>
              {folders.map((folder) => (
                <label key={folder.path} class="radio folder">
                  <input
                    type="radio"
                    name="import-source"
                    checked={source === folder.path}
                    onChange={() => setSource(folder.path)}
                  />
                  <span class="folder-path">{folder.path}</span>
                  <span class="muted">{formatCount(folder.imageCount, 'image')}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          <label class="checkbox">
            <input
              type="checkbox"
              checked={recursive}
              onChange={(event) => setRecursive(event.currentTarget.checked)}
            />
            Include sub-folders
          </label>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={fromMetadata}
              onChange={(event) => setFromMetadata(event.currentTarget.checked)}
            />
            Tags from the generation prompt (A1111, ComfyUI, InvokeAI, NovelAI…) when an image has
            no caption
          </label>
          <div class="modal-actions">
            <button
              type="button"
              class="button primary"
              disabled={source === null}
              onClick={() => void start()}
            >
              Import
            </button>
          </div>
        </>
      ) : (
        <ImportProgressView progress={progress} />
      )}
    </Modal>
  );
}

function ImportProgressView({ progress }: { progress: ImportProgress | null }) {
  if (progress === null) return <p class="muted">Starting…</p>;
  const state = { running: 'Importing', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' }[
    progress.state
  ];
  const merged = progress.duplicates.filter(
    (duplicate) => duplicate.tagsMergedInto !== undefined,
  ).length;
  return (
    <div class="import-progress" data-testid="import-progress">
      <label class="progress-label" for="import-bar">
        {state}: {progress.done.toLocaleString()} of {formatCount(progress.total, 'file')}
        {progress.failed > 0 ? `, ${progress.failed} failed` : ''}
      </label>
      <progress id="import-bar" max={Math.max(progress.total, 1)} value={progress.done} />
      <p class="muted" data-testid="import-pace">
        {progress.state === 'running'
          ? (describePace(progress, 'files') ?? 'Reading the folder…')
          : progress.elapsedMs === undefined
            ? null
            : `Took ${formatDuration(progress.elapsedMs)}`}
      </p>
      {progress.current !== undefined && progress.state === 'running' ? (
        <p class="muted ellipsis">{progress.current}</p>
      ) : null}
      {progress.duplicates.length > 0 ? (
        <p class="muted">
          {formatCount(progress.duplicates.length, 'duplicate')} skipped (same content already in
          the dataset)
          {merged > 0
            ? `; the tags of ${formatCount(merged, 'caption')} merged into the image kept`
            : ''}
          .
        </p>
      ) : null}
      {progress.failures.length > 0 ? (
        <>
          <h3 class="section-title">Files not imported</h3>
          <ul class="failure-list">
            {progress.failures.map((failure) => (
              <li key={failure.path}>
                <span class="failure-path">{failure.path}</span>
                <span class="failure-code">{failure.code}</span>
                <span class="failure-message">{failure.message}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
