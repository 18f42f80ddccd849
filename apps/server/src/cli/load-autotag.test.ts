import { CivtagError, ErrorCode } from '@civtag/api-models';
import { expect, it } from 'vitest';
import { loadAutotag } from './load-autotag.js';

it('says how to add the tagger when its package is not installed', async () => {
  const error = await loadAutotag('@civtag/autotag-that-is-not-installed').catch(
    (caught: unknown) => caught,
  );
  expect(CivtagError.hasCode(error, ErrorCode.NOT_FOUND)).toBe(true);
  expect((error as CivtagError).message).toMatch(/npm install --global @civtag\/autotag/);
});

it('loads the installed tagger package', async () => {
  const autotag = await loadAutotag();
  expect(typeof autotag.loadTagger).toBe('function');
});
