// One of the processes that write a tagged source folder (lib/tagged-source.mjs): the images whose
// index is `part` modulo `parts`, each with its caption, into `folder`. Reports its count to the
// parent every 1,000 images and when done.
// Usage (by tagged-source.mjs only): node tagged-source-worker.mjs <folder> <count> <part> <parts>
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { renderSmallImage } from './small-image.mjs';
import { tagsFor } from './tag-vocabulary.mjs';

const IN_FLIGHT = 6;
const [folder, countText, partText, partsText] = process.argv.slice(2);
const count = Number(countText);
const part = Number(partText);
const parts = Number(partsText);

const width = String(count).length;

// One process per core already: a second libvips thread per image only adds switching.
sharp.concurrency(1);
sharp.cache(false);

let next = part;
let written = 0;
const lane = async () => {
  for (let index = next; index < count; index = next) {
    next += parts;
    const image = await renderSmallImage(index);
    const stem = join(folder, `img-${String(index + 1).padStart(width, '0')}`);
    await writeFile(`${stem}.${image.extension}`, image.bytes);
    await writeFile(`${stem}.txt`, tagsFor(index).join(', '));
    written++;
    if (written % 1000 === 0) process.send({ written });
  }
};
await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
process.send({ written, done: true }, () => process.exit(0));
