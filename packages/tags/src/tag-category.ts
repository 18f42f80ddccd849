/** The kinds of tag a booru tells apart, as Danbooru names them. */
export type TagCategoryName = 'general' | 'artist' | 'copyright' | 'character' | 'meta';

const DANBOORU_CATEGORIES: Readonly<Record<number, TagCategoryName>> = {
  0: 'general',
  1: 'artist',
  3: 'copyright',
  4: 'character',
  5: 'meta',
};

/**
 * The name of a vocabulary category number (`VocabularyEntry.category`, Danbooru's numbering:
 * 0 general, 1 artist, 3 copyright, 4 character, 5 meta), or `undefined` for a number Danbooru
 * does not use.
 */
export function tagCategoryName(category: number): TagCategoryName | undefined {
  return DANBOORU_CATEGORIES[category];
}
