import { expect, it } from 'vitest';

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "KAOMOJI_TAGS",
      "TagSearchIndex",
      "TagStats",
      "applyTagOp",
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
      "tagOpOptions",
      "tryNormalizeTag",
    ]
  `);
});
