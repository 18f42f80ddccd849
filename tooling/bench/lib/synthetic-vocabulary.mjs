// A synthetic booru tag vocabulary the size of the danbooru list that a1111-sd-webui-tagcomplete
// ships (~140,000 tags), in its CSV format (`tag,category,count,"alias1,alias2"`, the format
// `parseVocabularyCsv` of @civtag/tags reads), for benchmarks of the vocabulary's transfer and of
// autocomplete. Deterministic: the same seed gives the same file on every machine.
import { writeFile } from 'node:fs/promises';
import { seededRandom } from './seeded-random.mjs';
import { QUALIFIERS, SUBJECTS } from './tag-vocabulary.mjs';

export const DANBOORU_VOCABULARY_SIZE = 140_000;

const SYLLABLES = [
  'ka',
  'ki',
  'ku',
  'ke',
  'ko',
  'sa',
  'shi',
  'su',
  'se',
  'so',
  'ta',
  'chi',
  'tsu',
  'te',
  'to',
  'na',
  'ni',
  'nu',
  'ne',
  'no',
  'ha',
  'hi',
  'fu',
  'he',
  'ho',
  'ma',
  'mi',
  'mu',
  'me',
  'mo',
  'ya',
  'yu',
  'yo',
  'ra',
  'ri',
  'ru',
  're',
  'ro',
  'wa',
  'n',
  'ga',
  'gi',
  'gu',
  'ge',
  'go',
  'za',
  'ji',
  'zu',
  'ze',
  'zo',
  'da',
  'de',
  'do',
  'ba',
  'bi',
  'bu',
  'be',
  'bo',
  'pa',
  'pi',
];
// The words of the dataset vocabulary, and more that only a large tag list has.
const WORDS = [
  ...SUBJECTS,
  ...QUALIFIERS,
  'looking',
  'hand',
  'school',
  'uniform',
  'armor',
  'cape',
  'crown',
  'beach',
  'night',
  'city',
  'forest',
  'room',
  'bed',
  'chair',
  'table',
  'stairs',
  'bridge',
  'train',
];
// Danbooru's categories: 0 general, 1 artist, 3 copyright, 4 character, 5 meta.
const CATEGORY_WEIGHTS = [
  [0, 0.45],
  [1, 0.3],
  [4, 0.15],
  [3, 0.07],
  [5, 0.03],
];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function name(random, syllables) {
  let text = '';
  for (let index = 0; index < syllables; index += 1) text += pick(random, SYLLABLES);
  return text;
}

function category(random) {
  let left = random();
  for (const [value, weight] of CATEGORY_WEIGHTS) {
    left -= weight;
    if (left < 0) return value;
  }
  return 0;
}

function tagOf(random, kind, series) {
  switch (kind) {
    case 0:
      return `${pick(random, WORDS)}_${pick(random, WORDS)}${random() < 0.3 ? `_${pick(random, WORDS)}` : ''}`;
    case 4:
      return `${name(random, 2 + Math.floor(random() * 2))}_${name(random, 2 + Math.floor(random() * 2))}${random() < 0.4 ? `_(${pick(random, series)})` : ''}`;
    case 3:
      return `${name(random, 2)}_${pick(random, WORDS)}_${name(random, 3)}`;
    case 5:
      return `${pick(random, WORDS)}_${name(random, 2)}_request`;
    default:
      return `${name(random, 2 + Math.floor(random() * 3))}${random() < 0.5 ? `_${name(random, 2)}` : ''}`;
  }
}

/**
 * The CSV text of a vocabulary of `count` distinct tags (default 140,000), most used first with a
 * Zipf-like long tail of post counts; about one tag in eight has aliases.
 */
export function syntheticVocabularyCsv(count = DANBOORU_VOCABULARY_SIZE, seed = 1) {
  const random = seededRandom(seed);
  const series = Array.from({ length: 400 }, () => `${name(random, 2)}_${name(random, 2)}`);
  const seen = new Set();
  const lines = [];
  while (lines.length < count) {
    const kind = category(random);
    const tag = tagOf(random, kind, series);
    if (seen.has(tag)) continue;
    seen.add(tag);
    const rank = lines.length + 1;
    const posts = Math.max(1, Math.floor(6_000_000 / rank ** 1.05));
    const aliases = [];
    if (random() < 0.125) {
      const parts = tag.split('_');
      aliases.push(parts.length > 1 ? [...parts].reverse().join('_') : `${tag}s`);
      if (random() < 0.3) aliases.push(`${name(random, 3)}`);
    }
    lines.push(`${tag},${kind},${posts},"${aliases.join(',')}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes {@link syntheticVocabularyCsv} to `path`; resolves to the path. */
export async function writeSyntheticVocabulary(path, count = DANBOORU_VOCABULARY_SIZE) {
  await writeFile(path, syntheticVocabularyCsv(count));
  return path;
}
