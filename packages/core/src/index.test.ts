import { expect, it } from 'vitest';

it('exports exactly the public API', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "CIVTAG_FOLDER",
      "NEAR_DUPLICATE_DISTANCE",
      "ProgressRate",
      "createDataset",
      "findNearDuplicateGroups",
      "hammingDistance",
      "isDatasetOpenElsewhere",
      "openDataset",
      "openDatasetReadOnly",
    ]
  `);
});
