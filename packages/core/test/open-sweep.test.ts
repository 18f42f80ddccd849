import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDataset, openDataset } from '../src/index.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  temp = await makeTempDir('sweep');
});
afterEach(() => temp.remove());

it('removes what a crash left in the dataset, its thumbnails, its trash and its caption temporary folder, behind the open', async () => {
  const source = path.join(temp.dir, 'photos');
  const target = path.join(temp.dir, 'dataset');
  await mkdir(source);
  await writePngs(source, 2);
  const created = await createDataset(target, { prefix: 'swept' });
  await created.import(source).done;
  await created.close();
  // Names another process made: its temporary caption, thumbnail and trashed copy.
  const leftovers = [
    path.join(target, '.swept_0001.txt.00000000a001.civtag-tmp'),
    path.join(target, '.civtag', 'thumbs', '.abc.webp.00000000a002.civtag-tmp'),
    path.join(target, '.civtag', 'trash', '.swept_0002.png.00000000a003.civtag-old'),
    path.join(target, '.civtag', 'tmp', '.swept_0002.txt.00000000a004.civtag-tmp'),
  ];
  for (const file of leftovers) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'half');
  }

  const dataset = await openDataset(target);
  try {
    await dataset.reconciled();
    for (const file of leftovers) {
      expect(await readdir(path.dirname(file))).not.toContain(path.basename(file));
    }
    // The dataset works as before: an op writes its caption.
    const [first] = dataset.images();
    await dataset.apply({ type: 'set', imageId: first?.id ?? '', tags: ['kept'] });
    expect((await readdir(target)).filter((name) => name.includes('civtag-'))).toEqual([]);
    expect(await readdir(path.join(target, '.civtag', 'tmp'))).toEqual([]);
  } finally {
    await dataset.close();
  }
});
