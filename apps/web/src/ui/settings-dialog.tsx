import type { Settings } from '@civtag/api-models';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import {
  type SettingsForm,
  type SettingsProblem,
  settingsChangesFrom,
  settingsFormFrom,
} from '../model/settings-form.js';
import type { AppStore } from '../state/app-store.js';
import { Modal } from './modal.js';

/**
 * The dataset's settings: trigger word, name prefix, tag style and kohya repeats. Saving sends
 * one `settings` op (undoable with Undo); every tab sees the change through the change feed.
 */
export function SettingsDialog({ store, settings }: { store: AppStore; settings: Settings }) {
  // The settings as the dialog opened: saving sends only the fields changed in it, so a change
  // another tab made meanwhile to a field left alone here is not undone.
  const [opened] = useState<Settings>(settings);
  const [form, setForm] = useState<SettingsForm>(() => settingsFormFrom(opened));
  const [problems, setProblems] = useState<SettingsProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const result = settingsChangesFrom(opened, form);
  const edit = (changes: Partial<SettingsForm>) => {
    setForm({ ...form, ...changes });
    setProblems([]);
  };
  const problemOf = (field: SettingsProblem['field']) =>
    problems.find((problem) => problem.field === field)?.message;

  const save = async () => {
    if (!result.valid) {
      setProblems(result.problems);
      return;
    }
    if (!result.changed) return;
    setSaving(true);
    const accepted = await store.applyOp({ type: 'settings', changes: result.changes });
    setSaving(false);
    if (!accepted) return;
    store.update({ dialog: null });
    store.requestFocus('grid');
    store.notifyInfo('Settings saved: Undo puts them back.');
  };

  const newTrigger = result.valid ? result.changes.triggerWord : undefined;
  return (
    <Modal store={store} title="Dataset settings">
      <form
        class="settings-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Field
          id="settings-trigger"
          label="Trigger word"
          value={form.triggerWord}
          problem={problemOf('triggerWord')}
          onInput={(triggerWord) => edit({ triggerWord })}
          autofocus
        >
          {typeof newTrigger === 'string' && settings.triggerWord !== undefined ? (
            <>
              Saving renames <code>{settings.triggerWord}</code> to <code>{newTrigger}</code> in
              every caption.
            </>
          ) : newTrigger === null ? (
            <>Saving clears the setting; captions keep the tag (remove it with Bulk edit).</>
          ) : (
            <>Kept first in every caption, exactly as written: the word that activates the LoRA.</>
          )}
        </Field>
        <Field
          id="settings-prefix"
          label="Name prefix"
          value={form.prefix}
          problem={problemOf('prefix')}
          onInput={(prefix) => edit({ prefix })}
        >
          Names the images imported from now on (<code>{form.prefix || 'prefix'}_0001.png</code>);
          images already in the dataset keep their names.
        </Field>
        <fieldset class="field-group settings-group">
          <legend class="field-label">Tag style</legend>
          <label class="radio">
            <input
              type="radio"
              name="settings-separator"
              checked={form.separator === 'space'}
              onChange={() => edit({ separator: 'space' })}
            />
            <span>
              Spaces: <code>long hair</code>
            </span>
          </label>
          <label class="radio">
            <input
              type="radio"
              name="settings-separator"
              checked={form.separator === 'underscore'}
              onChange={() => edit({ separator: 'underscore' })}
            />
            <span>
              Underscores: <code>long_hair</code>
            </span>
          </label>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={form.escapeParentheses}
              onChange={(event) => edit({ escapeParentheses: event.currentTarget.checked })}
            />
            <span>
              Escape parentheses in captions: <code>\(cosplay\)</code>
            </span>
          </label>
          <p class="field-hint">
            New tags are stored in this style; tags already stored keep their form until you
            normalise them.{' '}
            <button
              type="button"
              class="link-button"
              onClick={() => store.openBulkPanel('normalize')}
            >
              Normalise tag forms…
            </button>
          </p>
        </fieldset>
        <Field
          id="settings-repeats"
          label="Kohya repeats"
          value={form.repeats}
          problem={problemOf('repeats')}
          onInput={(repeats) => edit({ repeats })}
          numeric
        >
          How many times kohya shows each image per epoch: the default of the kohya download.
        </Field>
        <div class="modal-actions">
          <button
            type="button"
            class="button ghost"
            onClick={() => {
              store.update({ dialog: null });
              store.requestFocus('grid');
            }}
          >
            Cancel
          </button>
          <button
            type="submit"
            class="button primary"
            disabled={saving || (result.valid && !result.changed)}
          >
            {saving ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A labelled text field with its hint, and the problem that stops a save, announced. */
function Field(props: {
  id: string;
  label: string;
  value: string;
  problem: string | undefined;
  onInput: (value: string) => void;
  autofocus?: boolean;
  numeric?: boolean;
  children: ComponentChildren;
}) {
  const { id, problem } = props;
  return (
    <div class="settings-field">
      <label class="field-label" for={id}>
        {props.label}
      </label>
      <input
        id={id}
        class={`text-input${props.numeric ? ' small repeats-input' : ''}${problem === undefined ? '' : ' invalid'}`}
        type="text"
        inputMode={props.numeric ? 'numeric' : undefined}
        autocomplete="off"
        spellcheck={false}
        value={props.value}
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-hint${problem === undefined ? '' : ` ${id}-problem`}`}
        data-autofocus={props.autofocus ? true : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
      {problem === undefined ? null : (
        <p id={`${id}-problem`} class="error-text" role="alert">
          {problem}
        </p>
      )}
      <p id={`${id}-hint`} class="field-hint">
        {props.children}
      </p>
    </div>
  );
}
