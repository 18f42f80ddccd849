import { describe, expect, it } from 'vitest';
import { historyToast } from './history-toast.js';

describe('historyToast', () => {
  it('says what an undo or redo did, as the server words it', () => {
    const answer = { count: 37, description: "removed 'blue eyes' from 37 images" };
    expect(historyToast('undo', answer)).toBe("Undone: removed 'blue eyes' from 37 images");
    expect(historyToast('redo', answer)).toBe("Redone: removed 'blue eyes' from 37 images");
  });

  it('falls back to the count when the answer has no description', () => {
    expect(historyToast('undo', { count: 2 })).toBe('Undone: 2 images changed');
  });
});
