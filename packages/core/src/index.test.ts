import { expect, it } from 'vitest';

it('exports exactly the public API', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "CIVTAG_FOLDER",
      "MOVED_ASIDE_FOLDER",
      "NEAR_DUPLICATE_DISTANCE",
      "ProgressRate",
      "STORE_NOTE_FILE",
      "createDataset",
      "findNearDuplicateGroups",
      "hammingDistance",
      "isDatasetOpenElsewhere",
      "moveDatasetToStore",
      "openDataset",
      "openDatasetReadOnly",
      "readStoreNote",
    ]
  `);
});
