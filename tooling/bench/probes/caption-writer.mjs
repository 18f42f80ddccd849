// Rewrites N existing caption files the way core's `writeCaptions` does (through
// @civtag/core-fs), against the floor (temp + rename, 16 at a time), in one
// process, interleaved, all over existing files, and prints the median of each as one JSON line.
// Usage: node probes/caption-writer.mjs <work folder> [count] [runs] [other core-fs dist]
// The optional last argument is another build of @civtag/core-fs (the one before a change),
// measured in the same run.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as coreFs from '@civtag/core-fs';
import { writeCaptionFiles } from '../baselines/caption-writes.mjs';
import { median } from '../lib/statistics.mjs';
import { tagsFor } from '../lib/tag-vocabulary.mjs';

const [workFolder, countText = '10000', runsText = '3', otherDist] = process.argv.slice(2);
const count = Number(countText);
const runs = Number(runsText);
const IN_FLIGHT = 16;

async function inFlight(items, work) {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index]);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

/** What `writeCaptions` does per image: the sidecar, then the `size:mtimeMs` stamp. */
async function writeLikeCore(library, folder, captions) {
  const started = performance.now();
  await inFlight(captions, async ({ file, tags }) => {
    const target = join(folder, file);
    if (library === coreFs) {
      // Since writeFileAtomic reports what it wrote: the stamp comes from the written file.
      const written = await library.writeFileAtomic(target, tags.join(', '), { fsync: false });
      return `${written.size}:${written.mtimeMs}`;
    }
    await library.writeSidecar(target, { tags });
    const stats = await stat(target);
    return `${stats.size}:${stats.mtimeMs}`;
  });
  return (performance.now() - started) / 1000;
}

async function prepare(folder, captions) {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await inFlight(captions, ({ file, tags }) => writeFile(join(folder, file), tags.join(', ')));
  // Flush what preparing wrote, so that its writeback does not land inside a measurement.
  execFileSync('sync');
}

const libraries = { current: coreFs };
if (otherDist) libraries.other = await import(pathToFileURL(otherDist).href);
const samples = { floor: [] };
for (const name of Object.keys(libraries)) samples[name] = [];
for (let run = 0; run < runs; run += 1) {
  const captions = Array.from({ length: count }, (_, index) => ({
    file: `image_${index}.txt`,
    tags: [...tagsFor(index), `bulk edit ${run}`],
  }));
  const contenders = [
    ...Object.entries(libraries).map(([name, library]) => ({
      name,
      files: captions,
      write: (folder) => writeLikeCore(library, folder, captions),
    })),
    {
      // The floor rewrites existing files too (`<index>.txt`, as the baseline names them).
      name: 'floor',
      files: captions.map(({ tags }, index) => ({ file: `${index}.txt`, tags })),
      write: (folder) =>
        writeCaptionFiles(
          folder,
          captions.map(({ tags }) => tags.join(', ')),
        ),
    },
  ];
  // A different one goes first in each run: the first after a flush is not favoured.
  for (let turn = 0; turn < contenders.length; turn += 1) {
    const contender = contenders[(run + turn) % contenders.length];
    const folder = join(workFolder, contender.name);
    await prepare(folder, contender.files);
    samples[contender.name].push(await contender.write(folder));
  }
}
await rm(workFolder, { recursive: true, force: true });
const result = { count, runs, threadpool: process.env.UV_THREADPOOL_SIZE ?? '4' };
for (const [name, values] of Object.entries(samples)) {
  result[name] = { median: median(values), runs: values.map((value) => +value.toFixed(3)) };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
