import { SHORTCUTS } from '../model/shortcuts.js';
import type { AppStore } from '../state/app-store.js';
import { Modal } from './modal.js';

/** The `?` dialog: every shortcut, from the same table the keyboard handler uses. */
export function ShortcutsDialog({ store }: { store: AppStore }) {
  return (
    <Modal store={store} title="Keyboard shortcuts">
      <table class="shortcuts">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.command}>
              <td class="shortcut-keys">
                {shortcut.keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </td>
              <td>{shortcut.description}</td>
            </tr>
          ))}
          <tr>
            <td class="shortcut-keys">
              <kbd>Alt+←</kbd>
              <kbd>Alt+→</kbd>
            </td>
            <td>Move the focused tag chip (Delete removes it)</td>
          </tr>
        </tbody>
      </table>
    </Modal>
  );
}
