import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataset, type Dataset } from '../src/index.js';
import { makePng, makeTempDir, writePngs } from './fixtures.js';
import { readZip } from './zip-reader.js';

let temp: { dir: string; remove: () => Promise<void> };
let source: string;
let target: string;
let dataset: Dataset;

beforeEach(async () => {
  temp = await makeTempDir('check');
  source = path.join(temp.dir, 'photos');
  target = path.join(temp.dir, 'dataset');
  await mkdir(source);
  await writePngs(source, 3);
  await writeFile(path.join(source, 'tiny.png'), makePng(32, 40, 99));
  dataset = await createDataset(target, { prefix: 'set', triggerWord: 'sakura' });
  await dataset.import(source).done;
});

afterEach(async () => {
  await dataset.close();
  await temp.remove();
});

const codes = (report: { problems: { code: string }[] }) =>
  report.problems.map((problem) => problem.code).sort();

describe('check()', () => {
  it('is clean for a freshly tagged dataset, apart from a small image', async () => {
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['cat'] });
    const report = await dataset.check();
    expect(codes(report)).toEqual(['IMAGE_TOO_SMALL']);
    expect(report).toMatchObject({ ok: true, imageCount: 4 });
    expect(report.problems[0]?.files).toEqual(['set_0004.png']);
  });

  it('finds empty captions, a misplaced trigger word, encodings, stems and files missing or extra', async () => {
    const [first, second, third] = dataset.images();
    await dataset.apply({ type: 'set', imageId: first?.id ?? '', tags: [] });
    await dataset.apply({ type: 'move', imageId: second?.id ?? '', tag: 'sakura', index: 0 });
    await dataset.apply({ type: 'add', target: { ids: [second?.id ?? ''] }, tags: ['cat'] });
    await dataset.apply({ type: 'move', imageId: second?.id ?? '', tag: 'sakura', index: 1 });
    await dataset.apply({ type: 'add', target: { ids: [third?.id ?? ''] }, tags: ['caf\u00e9'] });
    await dataset.close();
    // Outside civtag, while it is closed: the same captions with a BOM and in Windows-1252
    // (no edit), a stray file, a stem clash, a missing image.
    await writeFile(path.join(target, 'set_0002.txt'), `\uFEFFcat, sakura`);
    await writeFile(path.join(target, 'set_0003.txt'), Buffer.from('sakura, caf\u00e9', 'latin1'));
    await writeFile(path.join(target, 'notes.md'), 'mine');
    await writeFile(path.join(target, 'set_0002.jpg'), 'not an image civtag made');
    await rename(path.join(target, 'set_0004.png'), path.join(temp.dir, 'moved.png'));
    const { openDataset } = await import('../src/index.js');
    dataset = await openDataset(target);
    const report = await dataset.check();
    const found = new Map(report.problems.map((problem) => [problem.code, problem]));
    expect(found.get('EMPTY_CAPTION')?.imageIds).toEqual([first?.id]);
    expect(found.get('TRIGGER_NOT_FIRST')?.imageIds).toEqual([second?.id]);
    expect(found.get('DUPLICATE_STEM')?.files).toEqual(['set_0002.jpg', 'set_0002.png']);
    expect(found.get('FILE_MISSING')?.files).toEqual(['set_0004.png']);
    expect(found.get('FILE_EXTRA')?.files).toEqual(['notes.md', 'set_0002.jpg']);
    expect(found.get('CAPTION_NOT_UTF8')?.imageIds).toEqual([third?.id]);
    expect(found.get('CAPTION_HAS_BOM')?.imageIds).toEqual([second?.id]);
    expect(found.has('CAPTION_OUT_OF_DATE')).toBe(false);
    expect(report.ok).toBe(false);
    expect(found.get('FILE_MISSING')?.message).toContain('set_0004.png');
  });
});

describe('repair()', () => {
  it('rewrites BOM and Windows-1252 captions as UTF-8 and puts the trigger word first, undoably', async () => {
    const [first, second, third] = dataset.images();
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['cat'] });
    await dataset.apply({ type: 'move', imageId: first?.id ?? '', tag: 'sakura', index: 1 });
    await dataset.apply({ type: 'remove', target: { ids: [third?.id ?? ''] }, tags: ['sakura'] });
    const tiny = dataset.images()[3]?.id ?? '';
    await dataset.apply({ type: 'add', target: { ids: [tiny] }, tags: ['caf\u00e9'] });
    await dataset.close();
    // Outside civtag, while it is closed: the same tags, with a BOM and in Windows-1252.
    await writeFile(path.join(target, 'set_0002.txt'), '\uFEFFsakura, cat');
    await writeFile(
      path.join(target, 'set_0004.txt'),
      Buffer.from('sakura, cat, caf\u00e9', 'latin1'),
    );
    const { openDataset } = await import('../src/index.js');
    dataset = await openDataset(target);
    const before = codes(await dataset.check());
    expect(before).toEqual(
      expect.arrayContaining(['CAPTION_HAS_BOM', 'CAPTION_NOT_UTF8', 'TRIGGER_NOT_FIRST']),
    );

    const result = await dataset.repair();

    expect(result).toMatchObject({ rewritten: 2, moved: 2 });
    expect(codes(result.report)).toEqual(['IMAGE_TOO_SMALL']);
    expect(await readFile(path.join(target, 'set_0002.txt'), 'utf8')).toBe('sakura, cat');
    expect(await readFile(path.join(target, 'set_0004.txt'), 'utf8')).toBe(
      'sakura, cat, caf\u00e9',
    );
    expect(dataset.image(first?.id ?? '')?.tags).toEqual(['sakura', 'cat']);
    expect(dataset.image(third?.id ?? '')?.tags).toEqual(['sakura', 'cat']);
    expect(second?.id).toBeDefined();
    await dataset.undo();
    expect(dataset.image(first?.id ?? '')?.tags).toEqual(['cat', 'sakura']);
  });
});

describe('export()', () => {
  it('streams a zip with image and caption pairs at its root, with caption options applied', async () => {
    const [first] = dataset.images();
    await dataset.apply({
      type: 'add',
      target: { all: true },
      tags: ['long_hair', 'smile (happy)', '^_^'],
    });
    await dataset.apply({ type: 'exclude', target: { ids: [first?.id ?? ''] } });
    const entries = await readZip(
      dataset.export({ format: 'zip' }, { escapeParentheses: true, underscoresToSpaces: true }),
    );
    expect(entries.map((entry) => entry.name)).toEqual([
      'set_0002.png',
      'set_0002.txt',
      'set_0003.png',
      'set_0003.txt',
      'set_0004.png',
      'set_0004.txt',
    ]);
    expect(entries[1]?.data.toString('utf8')).toBe('sakura, long hair, smile \\(happy\\), ^_^');
    expect(entries[0]?.data.equals(await readFile(path.join(target, 'set_0002.png')))).toBe(true);
    // The dataset's own captions keep the stored form: its tag style (space, picked by the
    // import) stored `long_hair` as `long hair`, and left the kaomoji alone.
    expect(await readFile(path.join(target, 'set_0002.txt'), 'utf8')).toBe(
      'sakura, long hair, smile (happy), ^_^',
    );
  });

  it('writes a kohya folder named after repeats and the trigger word, and refuses a folder in use', async () => {
    await dataset.apply({ type: 'add', target: { all: true }, tags: ['cat'] });
    const outDir = path.join(temp.dir, 'kohya');
    const result = await dataset.export({ format: 'kohya', outDir, repeats: 5 });
    expect(result).toEqual({ dir: path.join(outDir, '5_sakura'), images: 4, captions: 4 });
    expect((await readdir(result.dir)).sort()).toEqual(
      ['set_0001', 'set_0002', 'set_0003', 'set_0004'].flatMap((stem) => [
        `${stem}.png`,
        `${stem}.txt`,
      ]),
    );
    expect(await readFile(path.join(result.dir, 'set_0001.txt'), 'utf8')).toBe('sakura, cat');
    await expect(dataset.export({ format: 'kohya', outDir, repeats: 5 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  // The dataset's caption options became its tag style: a space-style dataset stores
  // `long_hair` as `long hair` (the trigger word exempt), rather than converting on write.
  it('writes the trigger word exactly as set in the kohya folder name and every caption, whatever the tag style and caption options', async () => {
    const miku = await createDataset(path.join(temp.dir, 'miku'), {
      prefix: 'miku',
      triggerWord: 'Miku_(style)',
      tagStyle: { separator: 'space', escapeParentheses: false },
    });
    try {
      await miku.import(source).done;
      await miku.apply({
        type: 'add',
        target: { all: true },
        tags: ['long_hair', 'Smile (happy)'],
      });
      const outDir = path.join(temp.dir, 'kohya');
      const overrides = { escapeParentheses: true, lowercase: true };
      const result = await miku.export({ format: 'kohya', outDir }, overrides);
      expect(result.dir).toBe(path.join(outDir, '10_Miku_(style)'));
      const captions = (await readdir(result.dir)).filter((name) => name.endsWith('.txt')).sort();
      expect(captions).toHaveLength(4);
      for (const caption of captions) {
        expect(await readFile(path.join(result.dir, caption), 'utf8')).toBe(
          'Miku_(style), long hair, smile \\(happy\\)',
        );
      }
      const zipped = await readZip(miku.export({ format: 'zip' }, overrides));
      expect(zipped.find((entry) => entry.name === 'miku_0001.txt')?.data.toString('utf8')).toBe(
        'Miku_(style), long hair, smile \\(happy\\)',
      );
      // The dataset's own captions, in its tag style.
      expect(await readFile(path.join(temp.dir, 'miku', 'miku_0001.txt'), 'utf8')).toBe(
        'Miku_(style), long hair, Smile (happy)',
      );
      expect((await miku.check()).problems.map((problem) => problem.code)).not.toContain(
        'CAPTION_OUT_OF_DATE',
      );
    } finally {
      await miku.close();
    }
  });

  it('refuses bad export options with VALIDATION naming the field, before writing anything', async () => {
    const refusal = (options: unknown): unknown => {
      try {
        // Options as a caller without types (JavaScript, a parsed request) may pass them.
        dataset.export(options as { format: 'zip' });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(refusal({ format: 'tar' })).toMatchObject({
      name: 'CivtagError',
      code: 'VALIDATION',
      message: expect.stringContaining('format'),
    });
    expect(refusal({ format: 'kohya' })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('outDir'),
    });
    const outDir = path.join(temp.dir, 'kohya');
    expect(refusal({ format: 'kohya', outDir, repeats: 0 })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('repeats'),
    });
    expect(refusal({ format: 'zip', outDir })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('outDir'),
    });
    expect(refusal(undefined)).toMatchObject({ code: 'VALIDATION' });
    expect(await readdir(temp.dir)).not.toContain('kohya');
  });
});
