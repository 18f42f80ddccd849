import { expect, it } from 'vitest';
import { isTemporaryFileName, temporaryFileName } from './temporary-file-name.js';

it('gives a different, recognisable temporary name on every call', () => {
  const names = Array.from({ length: 10_000 }, () => temporaryFileName('sakura_0001.txt', 'tmp'));
  expect(new Set(names).size).toBe(names.length);
  expect(names.every(isTemporaryFileName)).toBe(true);
  expect(names[0]).toMatch(/^\.sakura_0001\.txt\.[0-9a-f]{12}\.civtag-tmp$/);
  expect(isTemporaryFileName('sakura_0001.txt')).toBe(false);
});
