import type { CheckReport } from '@civtag/api-models';
import { useEffect, useState } from 'preact/hooks';
import { httpApi } from '../api/http-api.js';
import { formatCount } from '../model/format-count.js';
import type { AppStore } from '../state/app-store.js';
import { Modal } from './modal.js';

/** Check and export: the report of `dataset.check()` first, then the zip download. */
export function ExportDialog({ store }: { store: AppStore }) {
  const [report, setReport] = useState<CheckReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    httpApi
      .check()
      .then(setReport, (failure: unknown) =>
        setError(failure instanceof Error ? failure.message : String(failure)),
      );
  }, []);
  const errors = report?.problems.filter((problem) => problem.severity === 'error') ?? [];
  const warnings = report?.problems.filter((problem) => problem.severity === 'warning') ?? [];
  return (
    <Modal store={store} title="Check and export" wide>
      {error !== null ? (
        <p class="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {report === null && error === null ? <p class="muted">Checking the dataset…</p> : null}
      {report !== null ? (
        <div class="check-report" data-testid="check-report">
          <p class={report.ok ? 'check-summary ok' : 'check-summary bad'}>
            {report.ok ? '✓ Ready to train' : '✕ Problems that would spoil training'} ·{' '}
            {formatCount(report.imageCount, 'image')} · {formatCount(errors.length, 'error')},{' '}
            {formatCount(warnings.length, 'warning')}
          </p>
          {report.problems.length > 0 ? (
            <ul class="problem-list">
              {[...errors, ...warnings].map((problem, index) => (
                <li key={`${problem.code}-${index}`} class={`problem ${problem.severity}`}>
                  <span class="problem-code">{problem.code}</span>
                  <span>{problem.message}</span>
                  {problem.imageIds !== undefined && problem.imageIds.length > 0 ? (
                    <span class="muted"> ({formatCount(problem.imageIds.length, 'image')})</span>
                  ) : null}
                  {problem.files !== undefined && problem.files.length > 0 ? (
                    <span class="muted"> {problem.files.slice(0, 3).join(', ')}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          <div class="modal-actions">
            {!report.ok ? (
              <span class="muted">You can still export; fix the errors first for a clean run.</span>
            ) : null}
            <a class="button primary" href={httpApi.exportUrl()} download data-autofocus>
              Download zip
            </a>
          </div>
        </div>
      ) : null}
    </Modal>
  );
}
