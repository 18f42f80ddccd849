// Measures the tag algebra on a 100,000-image dataset (25 tags each) beside naive baselines
// that do the least work the same result needs. CPU time, median of 5 rounds; nothing here
// asserts a time. Run after a build: `pnpm --filter @civtag/tags bench`.
import { applyTagOp, compileQuery, formatCaption, parseCaption, TagStats } from '../dist/index.js';

const IMAGES = 100_000;
const TAGS_PER_IMAGE = 25;
const ROUNDS = 5;

function makeDataset() {
  const vocabulary = Array.from({ length: 5000 }, (_, index) => `tag_${index} word`);
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const images = new Map();
  for (let index = 0; index < IMAGES; index += 1) {
    const tags = new Set(['sakura']);
    while (tags.size < TAGS_PER_IMAGE)
      tags.add(vocabulary[Math.floor(random() * random() * vocabulary.length)]);
    images.set(`img${index}`, { id: `img${index}`, tags: [...tags], excluded: false });
  }
  return images;
}

function cpuMilliseconds(work) {
  const times = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return times.sort((left, right) => left - right)[Math.floor(ROUNDS / 2)];
}

const images = makeDataset();
const all = [...images.values()];
const rows = [
  [
    'add a tag to all',
    () =>
      applyTagOp(
        images,
        { type: 'add', target: { all: true }, tags: ['new tag'] },
        { triggerWord: 'sakura' },
      ),
    () =>
      all
        .filter((image) => !image.tags.includes('new tag'))
        .map((image) => ({ before: [...image.tags], after: [...image.tags, 'new tag'] })),
  ],
  [
    'remove 3 tags from all',
    () =>
      applyTagOp(images, {
        type: 'remove',
        target: { all: true },
        tags: ['tag_0 word', 'tag_1 word', 'tag_2 word'],
      }),
    () =>
      all.map((image) =>
        image.tags.filter(
          (tag) => tag !== 'tag_0 word' && tag !== 'tag_1 word' && tag !== 'tag_2 word',
        ),
      ),
  ],
  [
    'filter query over all',
    () => all.filter(compileQuery('tag_1* AND NOT "tag_3 word" OR tags>30')),
    () =>
      all.filter(
        (image) => image.tags.includes('tag_1 word') && !image.tags.includes('tag_3 word'),
      ),
  ],
  [
    'tag statistics from scratch',
    () => TagStats.fromImages(all),
    () => {
      const counts = new Map();
      for (const image of all)
        for (const tag of image.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    },
  ],
  [
    'format + parse every caption',
    () => {
      for (const image of all) parseCaption(formatCaption(image));
    },
    () => {
      for (const image of all) image.tags.join(', ').split(', ');
    },
  ],
];

console.log(`${IMAGES} images × ${TAGS_PER_IMAGE} tags, CPU ms (median of ${ROUNDS})`);
console.log('| work | civtag | naive baseline | ratio |\n|---|---:|---:|---:|');
for (const [title, civtag, baseline] of rows) {
  const ours = cpuMilliseconds(civtag);
  const theirs = cpuMilliseconds(baseline);
  console.log(
    `| ${title} | ${ours.toFixed(0)} | ${theirs.toFixed(0)} | ${(ours / theirs).toFixed(1)}× |`,
  );
}
const stats = TagStats.fromImages(all);
const { changes } = applyTagOp(images, { type: 'add', target: { all: true }, tags: ['new tag'] });
const incremental = cpuMilliseconds(() => {
  stats.applyChanges(changes);
  stats.applyChanges(
    changes.map((change) => ({ ...change, before: change.after, after: change.before })),
  );
});
console.log(`\nTagStats.applyChanges of a 100k-image add, and back: ${incremental.toFixed(0)} ms`);
