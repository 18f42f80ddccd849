// Booru-style tags for generated datasets, with the shape of a real tagged dataset: ~25 tags per
// image, a few on most images, a few hundred on thousands, and tens of thousands of rare ones
// (characters, artists, series) seen on one image or a handful. At 100k images that makes ~50k
// distinct tags (~11k at 10k images), two thirds of them on a single image.
//
// Each image draws 21 tags from 3,000 general tags (`long hair`, `holding umbrella`), 1/rank-shaped
// (the commonest on ~75% of images), and 4 from a pool of a million rare names with a steeper
// power law (exponent 1.2). Names are pure functions of their rank, so nothing is stored.
import { seededRandom } from './seeded-random.mjs';

export const TAGS_PER_IMAGE = 25;
const RARE_PER_IMAGE = 4;
const RARE_POOL = 1_000_000;
const RARE_EXPONENT = 1.2;

const HEAD = [
  'solo',
  '1girl',
  'looking at viewer',
  'smile',
  'simple background',
  'blush',
  'open mouth',
  'upper body',
  'white background',
  'outdoors',
  'standing',
  'sitting',
  'full body',
  'day',
  'closed eyes',
  '1boy',
  'indoors',
  'night',
  'from side',
  'cowboy shot',
];
export const QUALIFIERS = [
  'long',
  'short',
  'blue',
  'red',
  'black',
  'white',
  'green',
  'pink',
  'silver',
  'blonde',
  'brown',
  'purple',
  'open',
  'closed',
  'striped',
  'holding',
  'looking at',
  'hand on',
  'wet',
  'floating',
  'messy',
  'twin',
  'single',
  'large',
  'small',
  'detailed',
  'glowing',
  'torn',
  'frilled',
  'pleated',
];
export const SUBJECTS = [
  'hair',
  'eyes',
  'dress',
  'skirt',
  'shirt',
  'jacket',
  'hat',
  'ribbon',
  'gloves',
  'boots',
  'sky',
  'background',
  'flower',
  'sword',
  'umbrella',
  'book',
  'window',
  'tree',
  'cloud',
  'water',
  'mouth',
  'viewer',
  'hood',
  'scarf',
  'collar',
  'bow',
  'earrings',
  'necklace',
  'sleeves',
  'thighhighs',
  'braid',
  'ponytail',
  'bangs',
  'smile',
  'blush',
  'tail',
  'wings',
  'horns',
  'halo',
  'mask',
  'glasses',
  'bag',
  'cup',
  'phone',
  'cat',
  'bird',
  'moon',
  'sun',
  'rain',
  'snow',
];
const PLACEMENTS = [
  'focus',
  'print',
  'on head',
  'in hand',
  'behind back',
  'pull',
  'lift',
  'grab',
  'removed',
  'ornament',
  'over shoulder',
  'under chin',
  'at side',
  'on shoulder',
  'partially visible',
  'in mouth',
  'on lap',
  'around neck',
  'against glass',
  'through window',
  'in hair',
  'between fingers',
  'on ground',
  'on table',
  'in water',
  'in wind',
  'close-up',
  'silhouette',
  'reflection',
  'shadow',
];

/** The 3,000 general tags plus the head, the commonest first. */
const GENERAL = [
  ...new Set([
    ...HEAD,
    ...QUALIFIERS.flatMap((qualifier) => SUBJECTS.map((subject) => `${qualifier} ${subject}`)),
    ...PLACEMENTS.flatMap((placement) => SUBJECTS.map((subject) => `${subject} ${placement}`)),
  ]),
];

/** Kept for the benchmarks that only need common tags. */
export const VOCABULARY = GENERAL;

// Fixed-length syllables (consonant + vowel), so that a name spells its digits unambiguously.
const SYLLABLES = [...'kstnhmyrwgzb'].flatMap((consonant) =>
  [...'aiueo'].map((vowel) => `${consonant}${vowel}`),
);

/**
 * The rare tag of `rank` (0 ≤ rank < 1,000,000): a character (`kasu mito`, sometimes with its
 * series `kasu mito (nora)`), an artist (`kasumito`) or a series (`kasu mito series`); two ranks
 * never give the same name (the rank's scramble modulo 60⁴ is one-to-one and spelled out whole).
 */
export function rareTag(rank) {
  const code = (rank * 7919 + 104_729) % 12_960_000;
  const syllable = (place) => SYLLABLES[Math.floor(code / 60 ** place) % 60];
  const first = `${syllable(3)}${syllable(2)}`;
  const second = `${syllable(1)}${syllable(0)}`;
  switch (rank % 10) {
    case 0:
    case 1:
    case 2:
      return `${first} ${second}`;
    case 3:
      return `${first} ${second} (${SYLLABLES[rank % 60]}${SYLLABLES[(rank >> 6) % 60]})`;
    case 4:
    case 5:
    case 6:
      return `${first}${second}`;
    case 7:
      return `${first} ${second} series`;
    default:
      return `${first}${second} style`;
  }
}

/** A rank in [0, size) from a uniform draw: P(rank) ∝ 1/(rank+1)^exponent. */
function powerLawRank(uniform, size, exponent) {
  if (exponent === 1) return Math.floor(Math.exp(uniform * Math.log(size + 1))) - 1;
  const power = 1 - exponent;
  return Math.floor((1 + uniform * ((size + 1) ** power - 1)) ** (1 / power)) - 1;
}

/** The tags of the index-th image: 25 distinct, the general ones first, the same on every run. */
export function tagsFor(index) {
  const random = seededRandom(index + 7919);
  const tags = new Set();
  while (tags.size < TAGS_PER_IMAGE - RARE_PER_IMAGE) {
    tags.add(GENERAL[Math.min(GENERAL.length - 1, powerLawRank(random(), GENERAL.length, 1))]);
  }
  while (tags.size < TAGS_PER_IMAGE) {
    tags.add(rareTag(Math.min(RARE_POOL - 1, powerLawRank(random(), RARE_POOL, RARE_EXPONENT))));
  }
  return [...tags];
}
