import { useEffect, useReducer } from 'preact/hooks';
import type { AppState, AppStore } from '../state/app-store.js';

/** Re-renders the component whenever the store changes; returns the current snapshot. */
export function useAppState(store: AppStore): AppState {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useEffect(() => store.subscribe(() => rerender(undefined)), [store]);
  return store.snapshot;
}
