import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { AppStore } from '../state/app-store.js';

/** A modal dialog: focus moves in, Esc or the close button leaves, focus returns to the grid. */
export function Modal(props: {
  store: AppStore;
  title: string;
  wide?: boolean;
  children: ComponentChildren;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first =
      box.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      box.current?.querySelector<HTMLElement>(
        '.modal > :not(.panel-header) :is(button, input, select, a[href])',
      ) ??
      box.current?.querySelector<HTMLElement>('button');
    first?.focus();
  }, []);
  const close = () => {
    props.store.update({ dialog: null });
    props.store.requestFocus('grid');
  };
  return (
    // A click on the backdrop closes the dialog: a pointer shortcut beside Esc and the close button.
    // biome-ignore lint/a11y/noStaticElementInteractions: Esc and the close button are the accessible ways out.
    // biome-ignore lint/a11y/useKeyWithClickEvents: Esc closes the dialog from anywhere (the app's key handler).
    <div
      class="modal-backdrop"
      onClick={(event) => event.target === event.currentTarget && close()}
    >
      <div
        ref={box}
        class={props.wide ? 'modal wide' : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby="modal-title"
      >
        <div class="panel-header">
          <h2 id="modal-title" class="panel-title">
            {props.title}
          </h2>
          <button type="button" class="button ghost icon" aria-label="Close (Esc)" onClick={close}>
            ✕
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}
