import { useState } from 'preact/hooks';
import { autoTagFraction, describeAutoTagProgress } from '../model/auto-tag-job.js';
import type { AppState, AppStore } from '../state/app-store.js';

/**
 * Above the grid while a tagging job runs, in every tab, and after it ends until dismissed:
 * how far it is, what was skipped and failed (the files on demand), Cancel, and a way to the
 * images whose proposals wait to be decided.
 */
export function TaggingBar({ store, state }: { store: AppStore; state: AppState }) {
  const { job } = state.tagging;
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (job === null || dismissed === job.jobId) return null;
  const running = job.state === 'running';
  return (
    <section class="tagging-bar" aria-label="Tagging job" data-testid="tagging-bar">
      <div class="tagging-line">
        <span class="tagging-text" aria-live="polite" data-testid="tagging-progress">
          {describeAutoTagProgress(job)}
        </span>
        <progress
          class="tagging-progress"
          aria-label="Tagging progress"
          max={1}
          value={autoTagFraction(job)}
        />
        {running ? (
          <button type="button" class="button small" onClick={() => void store.cancelAutoTag()}>
            Cancel tagging
          </button>
        ) : (
          <>
            <button
              type="button"
              class="link-button"
              onClick={() => store.setFilter('has:proposals')}
            >
              Show images with proposals
            </button>
            <button
              type="button"
              class="button ghost icon"
              aria-label="Dismiss the tagging report"
              onClick={() => setDismissed(job.jobId)}
            >
              ✕
            </button>
          </>
        )}
      </div>
      {job.state === 'failed' && job.error !== undefined ? (
        <p class="error-text" role="alert">
          {job.error.message}
        </p>
      ) : null}
      {job.failed.length > 0 ? (
        <details
          class="tagging-failures"
          // Frames carry the last few failures; the whole list comes with GET /api/autotag.
          onToggle={(event) => event.currentTarget.open && store.readTagging()}
        >
          <summary>Files not tagged</summary>
          <ul class="failure-list">
            {job.failed.map((failure) => (
              <li key={failure.imageId}>
                <span class="failure-path">{failure.file}</span>
                <span class="failure-code">{failure.code}</span>
                <span class="failure-message">{failure.message}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
