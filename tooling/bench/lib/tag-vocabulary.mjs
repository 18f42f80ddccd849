// Booru-style tags for generated datasets: a vocabulary of 1,500 tags and a Zipf-like choice of
// ~25 per image, so that tag statistics, captions and filters see the shape of a real dataset.
import { seededRandom } from './seeded-random.mjs';

export const TAGS_PER_IMAGE = 25;

const QUALIFIERS = [
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
const SUBJECTS = [
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

/** 1,500 distinct tags, the commonest first (`long hair`, `short hair`, `blue hair`, …). */
export const VOCABULARY = SUBJECTS.flatMap((subject) =>
  QUALIFIERS.map((qualifier) => `${qualifier} ${subject}`),
);

/** The tags of the index-th image: distinct, Zipf-like (a few tags on most images, a long tail). */
export function tagsFor(index) {
  const random = seededRandom(index + 7919);
  const tags = new Set(['solo']);
  while (tags.size < TAGS_PER_IMAGE) {
    // rank ≈ exp(U·ln N) gives a 1/rank-shaped choice over the vocabulary.
    const rank = Math.floor(Math.exp(random() * Math.log(VOCABULARY.length))) - 1;
    tags.add(VOCABULARY[rank]);
  }
  return [...tags];
}
