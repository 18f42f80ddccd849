import { describe, expect, it } from 'vitest';
import { checkQuery } from './query-feedback.js';

describe('filter query feedback', () => {
  it('accepts an empty query and a valid one', () => {
    expect(checkQuery('')).toEqual({ valid: true });
    expect(checkQuery('1girl NOT (solo OR "long hair")')).toEqual({ valid: true });
  });

  it('points at the place of a syntax error', () => {
    const feedback = checkQuery('solo AND ');
    expect(feedback.valid).toBe(false);
    if (feedback.valid) return;
    expect(feedback.position).toBe(9);
    expect(feedback.before).toBe('solo AND ');
    expect(feedback.message).toContain('AND');
  });

  it('splits the query around an error inside it', () => {
    const feedback = checkQuery('a OR ) b');
    expect(feedback.valid).toBe(false);
    if (feedback.valid) return;
    expect(feedback.before + feedback.at + feedback.after).toBe('a OR ) b');
    expect(feedback.at).toBe(')');
  });
});
