import { describe, expect, it } from 'vitest';
import { type Command, commandForKey, type KeyPress, SHORTCUTS } from './shortcuts.js';

function press(key: string, extra: Partial<KeyPress> = {}): Command | null {
  return commandForKey({
    key,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    inTextField: false,
    ...extra,
  });
}

describe('keyboard shortcuts', () => {
  it('moves with the arrows and with j / k', () => {
    expect(press('ArrowDown')).toBe('move-down');
    expect(press('ArrowLeft')).toBe('move-left');
    expect(press('j')).toBe('next');
    expect(press('k')).toBe('previous');
  });

  it('extends the selection with Shift and the arrows, Home or End', () => {
    expect(press('ArrowRight', { shiftKey: true })).toBe('extend-right');
    expect(press('ArrowUp', { shiftKey: true })).toBe('extend-up');
    expect(press('End', { shiftKey: true })).toBe('extend-last');
  });

  it('edits with Enter, leaves with Esc, excludes with x, lists shortcuts with ?', () => {
    expect(press('Enter')).toBe('open-editor');
    expect(press('Escape')).toBe('leave');
    expect(press('x')).toBe('toggle-exclude');
    expect(press('?', { shiftKey: true })).toBe('show-shortcuts');
  });

  it('undoes with Ctrl+Z and redoes with Ctrl+Shift+Z, Ctrl+Y or Cmd+Shift+Z', () => {
    expect(press('z', { ctrlKey: true })).toBe('undo');
    expect(press('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(press('y', { ctrlKey: true })).toBe('redo');
    expect(press('z', { metaKey: true, shiftKey: true })).toBe('redo');
  });

  it('lets text fields keep their keys, except Esc', () => {
    expect(press('j', { inTextField: true })).toBeNull();
    expect(press('Enter', { inTextField: true })).toBeNull();
    expect(press('z', { ctrlKey: true, inTextField: true })).toBeNull();
    expect(press('a', { ctrlKey: true, inTextField: true })).toBeNull();
    expect(press('Escape', { inTextField: true })).toBe('leave');
  });

  it('leaves unknown keys and Alt combinations to the browser', () => {
    expect(press('q')).toBeNull();
    expect(press('j', { altKey: true })).toBeNull();
    expect(press('r', { ctrlKey: true })).toBeNull();
  });

  it('lists every command it can produce in the ? dialog', () => {
    const listed = new Set(SHORTCUTS.map((shortcut) => shortcut.command));
    const keys = [
      'ArrowLeft',
      'ArrowRight',
      'ArrowUp',
      'ArrowDown',
      'h',
      'l',
      'j',
      'k',
      'Home',
      'End',
      'Enter',
      't',
      ' ',
      'x',
      '/',
      '?',
      'Escape',
    ];
    for (const key of keys) expect(listed.has(press(key)!)).toBe(true);
    for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']) {
      expect(listed.has(press(key, { shiftKey: true })!)).toBe(true);
    }
    for (const key of ['z', 'y', 'a']) {
      expect(listed.has(press(key, { ctrlKey: true })!)).toBe(true);
      expect(listed.has(press(key, { ctrlKey: true, shiftKey: true })!)).toBe(true);
    }
  });
});
