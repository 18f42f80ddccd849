import { useEffect } from 'preact/hooks';
import { commandForKey } from '../model/shortcuts.js';
import type { AppStore } from '../state/app-store.js';
import { runCommand } from '../state/grid-actions.js';
import { AutoTagDialog } from './auto-tag-dialog.js';
import { BulkPanel } from './bulk-panel.js';
import { EditorPanel } from './editor-panel.js';
import { ExportDialog } from './export-dialog.js';
import { ImageGrid } from './image-grid.js';
import { ImageViewer } from './image-viewer.js';
import { ImportDialog } from './import-dialog.js';
import { NearDuplicatesDialog } from './near-duplicates-dialog.js';
import { SelectionBar } from './selection-bar.js';
import { SettingsDialog } from './settings-dialog.js';
import { ShortcutsDialog } from './shortcuts-dialog.js';
import { TagSidebar } from './tag-sidebar.js';
import { TaggingBar } from './tagging-bar.js';
import { Toasts } from './toasts.js';
import { TopBar } from './top-bar.js';
import { useAppState } from './use-store.js';

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The whole app: top bar, tag sidebar, grid, the editor or bulk panel, dialogs. */
export function App({ store }: { store: AppStore }) {
  const state = useAppState(store);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const inTextField = isTextField(event.target);
      // Buttons and links keep Enter and Space for themselves.
      const onControl =
        event.target instanceof HTMLElement && ['BUTTON', 'A'].includes(event.target.tagName);
      if (onControl && (event.key === 'Enter' || event.key === ' ')) return;
      if (store.snapshot.dialog !== null && event.key !== 'Escape') return;
      const command = commandForKey({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        shiftKey: event.shiftKey,
        altKey: event.altKey,
        inTextField,
      });
      if (command === null) return;
      if (runCommand(store, command)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);

  // The viewer shows the editor's image: closing the editor closes it too.
  const editorOpen = state.panel === 'editor' && state.editorId !== null;
  useEffect(() => {
    if (state.viewer && !editorOpen) store.update({ viewer: false });
  }, [store, state.viewer, editorOpen]);

  if (state.fatal !== null) {
    return (
      <main class="fatal">
        <h1>civtag cannot open the dataset</h1>
        <p role="alert">{state.fatal}</p>
        <button type="button" class="button" onClick={() => window.location.reload()}>
          Try again
        </button>
      </main>
    );
  }

  const viewed =
    state.viewer && editorOpen && state.editorId !== null
      ? state.cache.get(state.editorId)
      : undefined;
  return (
    <div class="layout">
      <button type="button" class="skip-link" onClick={() => store.requestFocus('grid')}>
        Skip to the images
      </button>
      <TopBar store={store} state={state} />
      <TagSidebar store={store} state={state} />
      <main
        class={state.tileText === 'tags' ? 'workspace tiles-show-tags' : 'workspace'}
        aria-label="Images"
      >
        <TaggingBar store={store} state={state} />
        <SelectionBar store={store} state={state} />
        <ImageGrid store={store} state={state} />
        {viewed === undefined ? null : <ImageViewer store={store} record={viewed} />}
      </main>
      {state.panel === 'editor' && state.editorId !== null ? (
        <EditorPanel store={store} state={state} imageId={state.editorId} />
      ) : null}
      {state.panel === 'bulk' ? <BulkPanel store={store} state={state} /> : null}
      {state.dialog === 'shortcuts' ? <ShortcutsDialog store={store} /> : null}
      {state.dialog === 'import' ? <ImportDialog store={store} /> : null}
      {state.dialog === 'export' ? <ExportDialog store={store} state={state} /> : null}
      {state.dialog === 'autotag' ? <AutoTagDialog store={store} state={state} /> : null}
      {state.dialog === 'duplicates' ? <NearDuplicatesDialog store={store} state={state} /> : null}
      {state.dialog === 'settings' && state.dataset !== null ? (
        <SettingsDialog store={store} settings={state.dataset.settings} />
      ) : null}
      <Toasts store={store} toasts={state.toasts} />
    </div>
  );
}
