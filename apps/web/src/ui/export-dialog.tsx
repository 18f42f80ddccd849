import type { CheckReport, Settings } from '@civtag/api-models';
import { useEffect, useState } from 'preact/hooks';
import { httpApi } from '../api/http-api.js';
import { adviseOnCheck, type ProblemAdvice } from '../model/check-advice.js';
import { kohyaDefaults, kohyaFolderName, parseRepeats } from '../model/export-request.js';
import { formatCount } from '../model/format-count.js';
import { problemFilter } from '../model/problem-filter.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { Modal } from './modal.js';

/** How many file names a problem lists before "and N more". */
const FILES_SHOWN = 3;

/**
 * Check and export: the report of `dataset.check()` said for a user (each problem with what to
 * do, and a button that shows its images in the grid), then the two downloads: the Civitai zip
 * and the kohya layout with its repeats and tag style.
 */
export function ExportDialog({ store, state }: { store: AppStore; state: AppState }) {
  const [report, setReport] = useState<CheckReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    httpApi
      .check()
      .then(setReport, (failure: unknown) =>
        setError(failure instanceof Error ? failure.message : String(failure)),
      );
  }, []);
  const advice = report === null ? null : adviseOnCheck(report, store.triggerWord);
  const summaryTone =
    advice === null ? '' : !advice.ready ? 'bad' : advice.problems.length > 0 ? 'warn' : 'ok';
  return (
    <Modal store={store} title="Check and export" wide>
      {error !== null ? (
        <p class="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {report === null && error === null ? <p class="muted">Checking the dataset…</p> : null}
      {report !== null && advice !== null ? (
        <div class="check-report" data-testid="check-report">
          <p class={`check-summary ${summaryTone}`} data-testid="check-verdict">
            {advice.ready ? '✓' : '✕'} {advice.headline} · {formatCount(report.imageCount, 'image')}
          </p>
          {advice.problems.length > 0 ? (
            <ul class="problem-list">
              {advice.problems.map((problem, index) => (
                <ProblemItem
                  key={`${problem.code}-${index}`}
                  store={store}
                  problem={problem}
                  id={`problem-${index}`}
                />
              ))}
            </ul>
          ) : null}
          {!advice.ready ? (
            <p class="muted">
              You can still export; fix{' '}
              {advice.problems.filter((problem) => problem.severity === 'error').length === 1
                ? 'the error'
                : 'the errors'}{' '}
              first for a clean run.
            </p>
          ) : null}
          <div class="export-choices">
            <CivitaiExport note={advice.civitaiNote} />
            <KohyaExport settings={state.dataset?.settings} />
          </div>
        </div>
      ) : null}
    </Modal>
  );
}

/** One problem: what is wrong, what to do, and a button that shows its images. */
function ProblemItem(props: { store: AppStore; problem: ProblemAdvice; id: string }) {
  const { store, problem, id } = props;
  const filter = problemFilter(problem.imageIds);
  const more = problem.files.length - FILES_SHOWN;
  const show = () => {
    if (filter === null || !store.setFilter(filter.query)) return;
    store.update({ dialog: null });
    store.requestFocus('grid');
    if (filter.shown < filter.total) {
      store.notifyInfo(
        `Showing the first ${filter.shown.toLocaleString()} of ${formatCount(filter.total, 'image')}: a filter holds no more. Fix these, then check again for the rest.`,
      );
    }
  };
  return (
    <li class={`problem ${problem.severity}`} data-code={problem.code}>
      <div class="problem-text">
        <span class="problem-severity">{problem.severity === 'error' ? 'Error' : 'Warning'}</span>{' '}
        <strong id={`${id}-what`} class="problem-what">
          {problem.what}.
        </strong>{' '}
        <span class="problem-todo">{problem.todo}</span>
        {problem.files.length > 0 && problem.code !== 'TOO_MANY_FOR_CIVITAI' ? (
          <span class="problem-files muted">
            {problem.files.slice(0, FILES_SHOWN).join(', ')}
            {more > 0 ? ` and ${more.toLocaleString()} more` : ''}
          </span>
        ) : null}
      </div>
      {filter !== null ? (
        <button type="button" class="button small" aria-describedby={`${id}-what`} onClick={show}>
          {filter.shown < filter.total
            ? `Show the first ${filter.shown.toLocaleString()} of ${formatCount(filter.total, 'image')}`
            : `Show ${formatCount(filter.total, 'image')}`}
        </button>
      ) : null}
    </li>
  );
}

/** The Civitai zip: image + caption pairs at its root. */
function CivitaiExport({ note }: { note: string | null }) {
  return (
    <section class="export-choice" aria-labelledby="export-civitai-title">
      <h3 id="export-civitai-title" class="section-title">
        Civitai LoRA trainer
      </h3>
      <p class="muted">A zip of each image beside its caption, as Civitai's trainer takes it.</p>
      {note !== null ? (
        <p class="export-note" data-testid="civitai-note">
          {note}
        </p>
      ) : null}
      <a class="button primary" href={httpApi.exportUrl({ format: 'zip' })} download data-autofocus>
        Download Civitai zip
      </a>
    </section>
  );
}

/**
 * The kohya layout: a `<repeats>_<trigger>/` folder, with the tag style kohya users choose. It
 * starts from the dataset's settings (repeats, tag style) and follows them while untouched, so
 * a change made in the settings dialog of any tab shows here at once.
 */
function KohyaExport({ settings }: { settings: Settings | undefined }) {
  const defaults = settings === undefined ? null : kohyaDefaults(settings);
  const [repeatsText, setRepeatsText] = useState<string | null>(null);
  const [escapeChoice, setEscapeParentheses] = useState<boolean | null>(null);
  const [spacesChoice, setUnderscoresToSpaces] = useState<boolean | null>(null);
  const repeats = parseRepeats(repeatsText ?? String(defaults?.repeats ?? ''));
  const escapeParentheses = escapeChoice ?? defaults?.escapeParentheses ?? false;
  const underscoresToSpaces = spacesChoice ?? defaults?.underscoresToSpaces ?? false;
  return (
    <section class="export-choice" aria-labelledby="export-kohya-title">
      <h3 id="export-kohya-title" class="section-title">
        kohya sd-scripts
      </h3>
      <p class="muted">
        A zip with one folder
        {repeats.valid && settings !== undefined ? (
          <>
            {' '}
            <code>{kohyaFolderName(repeats.repeats, settings)}/</code>
          </>
        ) : null}
        : each image is shown that many times per epoch. No limit on the number of images.
      </p>
      <label class="field-label" for="kohya-repeats">
        Repeats
      </label>
      <input
        id="kohya-repeats"
        class={`text-input small repeats-input${repeats.valid ? '' : ' invalid'}`}
        type="text"
        inputMode="numeric"
        autocomplete="off"
        value={repeatsText ?? String(defaults?.repeats ?? '')}
        aria-invalid={!repeats.valid}
        aria-describedby={repeats.valid ? undefined : 'kohya-repeats-error'}
        onInput={(event) => setRepeatsText(event.currentTarget.value)}
      />
      {repeats.valid ? null : (
        <p id="kohya-repeats-error" class="error-text" role="alert">
          {repeats.message}
        </p>
      )}
      <label class="checkbox">
        <input
          type="checkbox"
          checked={escapeParentheses}
          onChange={(event) => setEscapeParentheses(event.currentTarget.checked)}
        />
        <span>
          Escape parentheses: <code>\(cosplay\)</code>
        </span>
      </label>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={underscoresToSpaces}
          onChange={(event) => setUnderscoresToSpaces(event.currentTarget.checked)}
        />
        <span>
          Underscores to spaces: <code>long hair</code> for <code>long_hair</code>
        </span>
      </label>
      {repeats.valid ? (
        <a
          class="button primary"
          href={httpApi.exportUrl({
            format: 'kohya',
            repeats: repeats.repeats,
            escapeParentheses,
            underscoresToSpaces,
          })}
          download
        >
          Download kohya zip
        </a>
      ) : (
        <button type="button" class="button primary" disabled>
          Download kohya zip
        </button>
      )}
    </section>
  );
}
