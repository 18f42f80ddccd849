// Measures @civtag/core at scale against floors measured in the same run:
//   open:  openDataset on N images       vs  JSON.parse of the same session.json
//   bulk:  apply(add) on 10,000 images   vs  writing 10,000 caption files, 16 at a time
// Run after `pnpm --filter @civtag/core... build`:  node packages/core/scripts/measure-scale.mjs [N]

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataset, openDataset } from '../dist/index.js';

const count = Number(process.argv[2] ?? 100_000);
const bulk = Math.min(10_000, count);
const dir = await mkdtemp(path.join(tmpdir(), 'civtag-scale-'));
const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

async function inBatches(items, size, worker) {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(worker));
  }
}

try {
  const created = await createDataset(dir, { prefix: 'scale' });
  await created.close();
  const snapshotFile = path.join(dir, '.civtag', 'session.json');
  const snapshot = JSON.parse(await readFile(snapshotFile, 'utf8'));
  const numbers = Array.from({ length: count }, (_, index) => index + 1);
  await inBatches(numbers, 64, async (number) => {
    const file = `scale_${String(number).padStart(4, '0')}.png`;
    const tags = [
      'solo',
      `tag ${number % 100}`,
      `group ${number % 7}`,
      'looking at viewer',
      'outdoors',
    ];
    const text = tags.join(', ');
    const caption = path.join(dir, file.replace('.png', '.txt'));
    await writeFile(caption, text);
    const stats = await stat(caption);
    snapshot.state.images[`image${number}`] = {
      id: `image${number}`,
      file,
      hash: hash(file).repeat(4),
      size: 1000,
      width: 512,
      height: 512,
      format: 'png',
      tags,
      rev: 0,
      excluded: false,
      written: hash(text),
      seen: `${stats.size}:${stats.mtimeMs}`,
    };
  });
  await writeFile(snapshotFile, JSON.stringify(snapshot));
  // Open and close once, so the timed open reads a snapshot as civtag itself writes it.
  await (await openDataset(dir)).close();

  let started = performance.now();
  JSON.parse(await readFile(snapshotFile, 'utf8'));
  const parseMs = performance.now() - started;

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  started = performance.now();
  const dataset = await openDataset(dir);
  const openMs = performance.now() - started;
  const rssAfter = process.memoryUsage().rss;

  const ids = dataset
    .images()
    .slice(0, bulk)
    .map((image) => image.id);
  started = performance.now();
  await dataset.apply({ type: 'add', target: { ids }, tags: ['bulk edit'] });
  const bulkMs = performance.now() - started;

  started = performance.now();
  await inBatches(ids, 16, async (id) => {
    await writeFile(path.join(dir, `floor-${id}.txt`), 'solo, bulk edit');
  });
  const floorMs = performance.now() - started;
  await dataset.close();

  console.log(`| what | civtag | floor in the same run |`);
  console.log(`|---|---|---|`);
  console.log(
    `| open ${count} images | ${openMs.toFixed(0)} ms, +${((rssAfter - rssBefore) / 2 ** 20).toFixed(0)} MiB RSS (total ${(rssAfter / 2 ** 20).toFixed(0)} MiB) | JSON.parse of session.json: ${parseMs.toFixed(0)} ms |`,
  );
  console.log(
    `| add a tag to ${bulk} images, captions written | ${bulkMs.toFixed(0)} ms | ${bulk} plain writeFile, 16 at a time: ${floorMs.toFixed(0)} ms |`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
