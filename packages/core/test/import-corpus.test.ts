import { createHash } from 'node:crypto';
import { chmod, cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatCaption } from '@civtag/tags';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, openDataset } from '../src/index.js';
import { corpusDir, fingerprintTree, makeTempDir } from './fixtures.js';
import { readZip } from './zip-reader.js';

let temp: { dir: string; remove: () => Promise<void> };
let source: string;

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(full);
    else await chmod(full, 0o644);
  }
}

beforeAll(async () => {
  temp = await makeTempDir('corpus');
  source = path.join(temp.dir, 'corpus');
  await cp(corpusDir(), source, { recursive: true });
  await makeWritable(source);
});

afterAll(async () => {
  await temp.remove();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('the whole corpus, end to end', () => {
  it('imports every file (broken ones reported), edits, undoes, reopens and exports a zip of it all', async () => {
    const target = path.join(temp.dir, 'dataset');
    const before = await fingerprintTree(source);
    const dataset = await createDataset(target, { prefix: 'corpus', triggerWord: 'corpus_style' });
    const result = await dataset.import(source, { recursive: true, tagsFromMetadata: true }).done;

    expect(result.state).toBe('done');
    const images = dataset.images();
    expect(images.length).toBeGreaterThan(150);
    expect(images.length + result.failures.length + result.duplicates.length).toBe(result.total);
    const failed = new Set(result.failures.map((failure) => path.relative(source, failure.path)));
    for (const broken of [
      'sharp-fixtures/truncated.jpg',
      'sharp-fixtures/corrupt-header.jpg',
      'sharp-fixtures/giant-image.jpg',
    ]) {
      expect(failed).toContain(broken);
    }
    const corruptPngs = (await readdir(path.join(source, 'pngsuite'))).filter((name) =>
      /^x.*\.png$/.test(name),
    );
    expect(corruptPngs.length).toBeGreaterThanOrEqual(14);
    for (const name of corruptPngs) expect(failed).toContain(`pngsuite/${name}`);
    for (const failure of result.failures) {
      expect(failure.code).toMatch(/^[A-Z_]+$/);
      expect(failure.message.length).toBeGreaterThan(0);
    }
    const files = images.map((image) => image.file);
    expect(files).toEqual(
      images.map(
        (image, index) => `corpus_${String(index + 1).padStart(4, '0')}${path.extname(image.file)}`,
      ),
    );
    expect(files.filter((file) => file.endsWith('.jpeg'))).toEqual([]);
    // Images from generation tools got their prompt as tags.
    expect(images.some((image) => image.tags.length > 3)).toBe(true);
    expect(images.every((image) => image.tags[0] === 'corpus_style')).toBe(true);

    const [first, second] = images;
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['training set'] });
    await dataset.apply({ type: 'set', imageId: first?.id ?? '', tags: ['only this'] });
    await dataset.undo();
    await dataset.apply({ type: 'exclude', target: { ids: [second?.id ?? ''] } });
    await dataset.close();

    const reopened = await openDataset(target);
    try {
      expect(reopened.image(first?.id ?? '')?.tags.at(-1)).toBe('training set');
      expect(reopened.image(first?.id ?? '')?.tags[0]).toBe('corpus_style');
      expect(reopened.image(second?.id ?? '')?.excluded).toBe(true);
      const report = await reopened.check();
      expect(
        report.problems.filter((problem) =>
          ['FILE_MISSING', 'CAPTION_OUT_OF_DATE', 'DUPLICATE_STEM'].includes(problem.code),
        ),
      ).toEqual([]);

      const entries = await readZip(reopened.export({ format: 'zip' }));
      const active = reopened.images().filter((image) => !image.excluded);
      const expectedNames = active.flatMap((image) => [
        image.file,
        image.file.replace(/\.[^.]+$/, '.txt'),
      ]);
      expect(entries.map((entry) => entry.name)).toEqual(expectedNames);
      const byName = new Map(entries.map((entry) => [entry.name, entry.data]));
      for (const image of active) {
        expect(sha256(byName.get(image.file) ?? Buffer.alloc(0))).toBe(image.hash);
        const caption = byName.get(image.file.replace(/\.[^.]+$/, '.txt'))?.toString('utf8');
        expect(caption).toBe(formatCaption({ tags: image.tags }));
        expect(caption?.startsWith('corpus_style, ')).toBe(true);
        expect(caption?.endsWith(', training set')).toBe(true);
      }
      expect(entries.some((entry) => entry.name === second?.file)).toBe(false);
    } finally {
      await reopened.close();
    }
    expect(await fingerprintTree(source)).toBe(before);
  }, 180_000);
});
