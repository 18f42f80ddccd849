import { expect, it } from 'vitest';

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_BATCHES_IN_FLIGHT",
      "DEFAULT_BATCH_SIZE",
      "DEFAULT_THRESHOLDS",
      "KAOMOJI_TAGS",
      "MODEL_FILE",
      "TAGS_FILE",
      "TaggerError",
      "createTagSelector",
      "loadTagger",
      "mcutThreshold",
      "parseSelectedTagsCsv",
      "selectTags",
      "toCaptionTag",
    ]
  `);
});

it('exports exactly the testing surface from @civtag/autotag/testing', async () => {
  expect(Object.keys(await import('./testing.js')).sort()).toMatchInlineSnapshot(`
    [
      "OnnxDataType",
      "TEST_COLOURS",
      "TEST_TAGGER_TAGS",
      "encodeOnnxModel",
      "makeColourImage",
      "makeTestTaggerCsv",
      "makeTestTaggerModel",
      "writeTestTagger",
    ]
  `);
});
