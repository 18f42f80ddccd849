/** Everything the keyboard can do; the `?` dialog lists them from {@link SHORTCUTS}. */
export type Command =
  | 'move-left'
  | 'move-right'
  | 'move-up'
  | 'move-down'
  | 'move-first'
  | 'move-last'
  | 'extend-left'
  | 'extend-right'
  | 'extend-up'
  | 'extend-down'
  | 'extend-first'
  | 'extend-last'
  | 'next'
  | 'previous'
  | 'open-editor'
  | 'open-viewer'
  | 'leave'
  | 'toggle-exclude'
  | 'toggle-select'
  | 'select-all'
  | 'select-all-matching'
  | 'undo'
  | 'redo'
  | 'focus-filter'
  | 'focus-tag-input'
  | 'show-shortcuts';

export interface Shortcut {
  command: Command;
  /** How the keys read in the `?` dialog. */
  keys: string[];
  description: string;
  /** Also works while typing in a text field. */
  inTextFields?: boolean;
}

/** The shortcut list, in the order the `?` dialog shows it. */
export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'move-left', keys: ['←', 'h'], description: 'Previous image' },
  { command: 'move-right', keys: ['→', 'l'], description: 'Next image' },
  { command: 'move-up', keys: ['↑'], description: 'Image above' },
  { command: 'move-down', keys: ['↓'], description: 'Image below' },
  { command: 'next', keys: ['j'], description: 'Next image (also in the editor)' },
  { command: 'previous', keys: ['k'], description: 'Previous image (also in the editor)' },
  { command: 'move-first', keys: ['Home'], description: 'First image' },
  { command: 'move-last', keys: ['End'], description: 'Last image' },
  { command: 'extend-left', keys: ['Shift+←'], description: 'Extend the selection to the left' },
  { command: 'extend-right', keys: ['Shift+→'], description: 'Extend the selection to the right' },
  { command: 'extend-up', keys: ['Shift+↑'], description: 'Extend the selection a row up' },
  { command: 'extend-down', keys: ['Shift+↓'], description: 'Extend the selection a row down' },
  {
    command: 'extend-first',
    keys: ['Shift+Home'],
    description: 'Extend the selection to the first',
  },
  { command: 'extend-last', keys: ['Shift+End'], description: 'Extend the selection to the last' },
  { command: 'open-editor', keys: ['Enter'], description: 'Edit the image: focus its tag input' },
  { command: 'focus-tag-input', keys: ['t'], description: 'Add a tag to the image' },
  {
    command: 'open-viewer',
    keys: ['v'],
    description: 'View the image large: +/− zoom, 1 actual size, 0 fit, F full screen, ←/→ next',
  },
  {
    command: 'leave',
    keys: ['Esc'],
    description: 'Leave the field, the editor or the selection',
    inTextFields: true,
  },
  {
    command: 'toggle-select',
    keys: ['Space'],
    description: 'Add the image to the selection, or take it out (moving keeps the selection)',
  },
  {
    command: 'toggle-exclude',
    keys: ['x'],
    description: 'Exclude the image from training (or restore it)',
  },
  {
    command: 'select-all',
    keys: ['Ctrl+A'],
    description: 'Select every image matching the filter',
  },
  {
    command: 'select-all-matching',
    keys: ['Ctrl+Shift+A'],
    description: 'Same, as a rule: images that match later count too',
  },
  {
    command: 'undo',
    keys: ['Ctrl+Z'],
    description: 'Undo the last change (shared by every client)',
  },
  { command: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], description: 'Redo' },
  { command: 'focus-filter', keys: ['/'], description: 'Filter the images' },
  { command: 'show-shortcuts', keys: ['?'], description: 'Show these shortcuts' },
];

/** The parts of a keyboard event that choose a command. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** The event comes from a text field (the filter box, the tag input). */
  inTextField: boolean;
}

/** Shift with these keys extends the selection as it moves. */
const EXTENDING_KEYS: Record<string, Command> = {
  ArrowLeft: 'extend-left',
  ArrowRight: 'extend-right',
  ArrowUp: 'extend-up',
  ArrowDown: 'extend-down',
  Home: 'extend-first',
  End: 'extend-last',
};

const PLAIN_KEYS: Record<string, Command> = {
  ArrowLeft: 'move-left',
  h: 'move-left',
  ArrowRight: 'move-right',
  l: 'move-right',
  ArrowUp: 'move-up',
  ArrowDown: 'move-down',
  j: 'next',
  k: 'previous',
  Home: 'move-first',
  End: 'move-last',
  Enter: 'open-editor',
  t: 'focus-tag-input',
  v: 'open-viewer',
  ' ': 'toggle-select',
  x: 'toggle-exclude',
  '/': 'focus-filter',
  '?': 'show-shortcuts',
};

/**
 * The command a key press means, or `null`. In a text field only Esc and undo/redo are
 * commands (so typing `j` types a `j`); undo/redo there stays the field's own unless the
 * field is empty — the caller decides that by `inTextField`.
 */
export function commandForKey(press: KeyPress): Command | null {
  const modifier = press.ctrlKey || press.metaKey;
  if (press.key === 'Escape') return 'leave';
  if (modifier && !press.altKey) {
    const key = press.key.toLowerCase();
    if (press.inTextField) return null;
    if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'a') return press.shiftKey ? 'select-all-matching' : 'select-all';
    return null;
  }
  if (press.inTextField || press.altKey) return null;
  if (press.shiftKey && EXTENDING_KEYS[press.key] !== undefined) return EXTENDING_KEYS[press.key]!;
  return PLAIN_KEYS[press.key] ?? null;
}
