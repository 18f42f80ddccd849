import type { AppStore } from '../state/app-store.js';
import type { Toast } from '../state/toasts.js';

/** Messages in the corner; errors stay longer and are announced assertively. */
export function Toasts({ store, toasts }: { store: AppStore; toasts: readonly Toast[] }) {
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          class={`toast toast-${toast.tone}`}
          role={toast.tone === 'error' ? 'alert' : 'status'}
        >
          <span>{toast.text}</span>
          <button
            type="button"
            class="button ghost icon"
            aria-label="Dismiss"
            onClick={() => store.dismissToast(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
