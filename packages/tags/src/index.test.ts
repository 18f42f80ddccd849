import { expect, it } from 'vitest';

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "KAOMOJI_TAGS",
      "TagSearchIndex",
      "TagStats",
      "applyTagOp",
      "captionStyle",
      "captionText",
      "captionToFormat",
      "compileNode",
      "compileQuery",
      "detectTagStyle",
      "findTagProblem",
      "foldTag",
      "formatCaption",
      "formatQuery",
      "formatTag",
      "formatTagTerm",
      "isUntagged",
      "normalizeTag",
      "parseCaption",
      "parseQuery",
      "parseVocabularyCsv",
      "pendingProposals",
      "promptToTags",
      "styleTag",
      "suggestTags",
      "tagCategoryName",
      "tagOpOptions",
      "tryNormalizeTag",
    ]
  `);
});
