import type { OpResponse } from '@civtag/api-models';
import { formatCount } from './format-count.js';

/**
 * The toast of an undo or redo: what it took back or applied again, as the server words the
 * step ("Undone: removed 'blue eyes' from 37 images"); a server that does not say gets the count.
 */
export function historyToast(
  direction: 'undo' | 'redo',
  answer: Pick<OpResponse, 'count' | 'description'>,
): string {
  const done = direction === 'undo' ? 'Undone' : 'Redone';
  if (answer.description !== undefined) return `${done}: ${answer.description}`;
  return `${done}: ${formatCount(answer.count, 'image')} changed`;
}
