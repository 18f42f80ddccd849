import { describe, expect, it } from 'vitest';
import { diffSampleTags } from './sample-diff.js';

describe('a previewed caption against the one before', () => {
  it('shows a tag brought to another form in its place, not as one removed and one added', () => {
    expect(
      diffSampleTags(['sakura', 'landscape', 'Blue eyes'], ['sakura', 'landscape', 'blue eyes']),
    ).toEqual({
      tags: [
        { kind: 'kept', tag: 'sakura' },
        { kind: 'kept', tag: 'landscape' },
        { kind: 'restyled', tag: 'blue eyes', from: 'Blue eyes' },
      ],
      removed: [],
    });
  });

  it('marks added tags and lists the tags removed', () => {
    expect(diffSampleTags(['solo', 'smile'], ['solo', 'alone'])).toEqual({
      tags: [
        { kind: 'kept', tag: 'solo' },
        { kind: 'added', tag: 'alone' },
      ],
      removed: ['smile'],
    });
  });
});
