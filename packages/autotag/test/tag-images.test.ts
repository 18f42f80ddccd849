import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { corpusPath } from '@civtag/test-corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTagger, type Tagger, type TagImageResult, type TagProgress } from '../src/index.js';
import {
  encodeOnnxModel,
  makeColourImage,
  OnnxDataType,
  type OnnxInitializer,
  type OnnxNode,
  TEST_COLOURS,
  writeTestTagger,
} from '../src/testing.js';

let temporary: string;
let tagger: Tagger;

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'civtag-autotag-'));
  const { folder } = await writeTestTagger(path.join(temporary, 'tagger'));
  tagger = await loadTagger(folder);
});

afterAll(async () => {
  await tagger?.close();
  await rm(temporary, { recursive: true, force: true });
});

async function writeImage(name: string, colour: keyof typeof TEST_COLOURS, options = {}) {
  const file = path.join(temporary, name);
  await writeFile(file, await makeColourImage(TEST_COLOURS[colour], options));
  return file;
}

async function collect<Item>(
  run: AsyncIterable<TagImageResult<Item>>,
): Promise<TagImageResult<Item>[]> {
  const results: TagImageResult<Item>[] = [];
  for await (const result of run) results.push(result);
  return results;
}

function tagsOf(result: TagImageResult<unknown> | undefined): string[] {
  if (result === undefined || !result.ok) throw new Error(`not tagged: ${JSON.stringify(result)}`);
  return result.proposals.map((proposal) => proposal.tag);
}

describe('tagging images with a WD14-layout tagger', () => {
  it('reads the input size from the model and one label per output', () => {
    expect(tagger.inputSize).toBe(32);
    expect(tagger.labels.map((label) => label.category)).toContain('character');
    expect(tagger.labels[0]).toEqual({ name: 'general', category: 'rating' });
  });

  it('proposes red for a red image and blue for a blue one (the model reads BGR)', async () => {
    const red = await writeImage('red.png', 'red');
    const blue = await writeImage('blue.jpg', 'blue', { format: 'jpeg' });
    const green = await writeImage('green.webp', 'green', { format: 'webp' });
    const results = await collect(tagger.tag([red, blue, green]));
    expect(results.map((result) => result.input)).toEqual([red, blue, green]);
    expect(tagsOf(results[0])).toEqual(['red', 'solo', 'simple_background']);
    expect(tagsOf(results[1])).toEqual(['blue', 'solo', 'simple_background']);
    expect(tagsOf(results[2])).toEqual(['green', 'solo', 'simple_background']);
    const [first] = results;
    expect(first?.ok && first.proposals[0]).toEqual({
      tag: 'red',
      score: expect.closeTo(0.99966, 4),
      category: 'general',
    });
  });

  it('gives the rating apart from the tags, as its most likely label', async () => {
    const black = await writeImage('black.png', 'black');
    const white = await writeImage('white.png', 'white');
    const [dark, light] = await collect(tagger.tag([black, white]));
    expect(dark?.ok && dark.rating).toEqual({
      label: 'sensitive',
      score: expect.closeTo(0.982, 3),
    });
    expect(light?.ok && light.rating).toEqual({
      label: 'general',
      score: expect.closeTo(0.731, 3),
    });
    expect(tagsOf(dark)).toContain('black_background');
    expect(tagsOf(light)).toContain('white_background');
    expect(tagsOf(light)).not.toContain('general');
  });

  it('proposes a character only at or above the character threshold', async () => {
    const magenta = await writeImage('magenta.png', 'magenta');
    const [result] = await collect(tagger.tag([magenta]));
    expect(
      result?.ok && result.proposals.filter((proposal) => proposal.category === 'character'),
    ).toEqual([
      { tag: 'civtag_(mascot)', score: expect.closeTo(0.9975, 3), category: 'character' },
    ]);
    const [strict] = await collect(tagger.tag([magenta], { thresholds: { character: 0.999 } }));
    expect(tagsOf(strict)).not.toContain('civtag_(mascot)');
  });

  it('pads a wide image to a white square, so white bars count toward its colour', async () => {
    // A 64×8 red strip is 1/8 red and 7/8 white once squared: no longer a red image.
    const strip = await writeImage('strip.png', 'red', { width: 64, height: 8 });
    const square = await writeImage('square.png', 'red', { width: 8, height: 8 });
    const [wide, full] = await collect(tagger.tag([strip, square]));
    expect(tagsOf(full)).toContain('red');
    expect(tagsOf(wide)).not.toContain('red');
  });

  it('composites transparency on white', async () => {
    const file = path.join(temporary, 'transparent-blue.png');
    await writeFile(file, await makeColourImage({ r: 0, g: 0, b: 255, alpha: 0 }));
    const [result] = await collect(tagger.tag([file]));
    expect(tagsOf(result)).toContain('white_background');
    expect(tagsOf(result)).not.toContain('blue');
  });

  it('takes image bytes as well as paths, and any item through source()', async () => {
    const bytes = await makeColourImage(TEST_COLOURS.yellow);
    const [fromBytes] = await collect(tagger.tag([bytes]));
    expect(tagsOf(fromBytes)).toContain('^_^');
    const items = [
      { id: 'a', colour: 'red' as const },
      { id: 'b', colour: 'blue' as const },
    ];
    const images = new Map<string, Buffer>();
    for (const item of items) images.set(item.id, await makeColourImage(TEST_COLOURS[item.colour]));
    const results = await collect(
      tagger.tag(items, { source: (item) => images.get(item.id) as Buffer }),
    );
    expect(results.map((result) => [result.input.id, tagsOf(result)[0]])).toEqual([
      ['a', 'red'],
      ['b', 'blue'],
    ]);
  });

  it('reports an image that fails to decode, is missing or is too large, in the middle of a batch, and goes on', async () => {
    const inputs = [
      await writeImage('one.png', 'red'),
      corpusPath('sharp-fixtures', 'truncated.jpg'),
      path.join(temporary, 'missing.png'),
      await writeImage('two.png', 'blue'),
      corpusPath('pngsuite', 'xcrn0g04.png'),
      await writeImage('three.png', 'green'),
      corpusPath('sharp-fixtures', 'giant-image.jpg'),
    ];
    const progress: TagProgress[] = [];
    const results = await collect(
      tagger.tag(inputs, { batchSize: 4, onProgress: (value) => progress.push(value) }),
    );
    expect(results.map((result) => result.input)).toEqual(inputs);
    expect(results.map((result) => (result.ok ? tagsOf(result)[0] : result.error.code))).toEqual([
      'red',
      'IMAGE_UNREADABLE',
      'NOT_FOUND',
      'blue',
      'IMAGE_UNREADABLE',
      'green',
      'IMAGE_TOO_LARGE',
    ]);
    const failed = results[1];
    expect(failed?.ok === false && failed.error.message).toContain('truncated.jpg');
    expect(progress).toEqual([
      { done: 4, failed: 2, total: 7 },
      { done: 7, failed: 4, total: 7 },
    ]);
  });

  it('tags every readable image of the PNG suite and reports each corrupt one', async () => {
    const folder = corpusPath('pngsuite');
    const files = (await readdir(folder)).filter((name) => name.endsWith('.png')).sort();
    const results = await collect(
      tagger.tag(files, { source: (name) => path.join(folder, name), batchSize: 8 }),
    );
    expect(results).toHaveLength(files.length);
    for (const result of results) {
      // xcsn0g01.png's only fault is an IDAT checksum, which decoders skip: its pixels are whole.
      // (An import refuses it, core-fs checks every chunk, so it never reaches a dataset.)
      const corrupt = /^x/.test(result.input) && result.input !== 'xcsn0g01.png';
      if (corrupt) {
        expect(result.ok, result.input).toBe(false);
        if (!result.ok) expect(CivtagError.isInstance(result.error)).toBe(true);
      } else {
        expect(result.ok, `${result.input}: ${result.ok ? '' : result.error.message}`).toBe(true);
      }
    }
  });

  it('tags photos under every EXIF orientation', async () => {
    const names = ['Landscape_0.jpg', 'Landscape_6.jpg', 'Portrait_3.jpg', 'Portrait_8.jpg'];
    const results = await collect(
      tagger.tag(names.map((name) => corpusPath('exif-orientation', name))),
    );
    expect(results.every((result) => result.ok && result.rating !== undefined)).toBe(true);
  });
});

describe('batching and memory', () => {
  it('decodes the next batch while this one runs, and never holds more than its batches in flight', async () => {
    const red = await makeColourImage(TEST_COLOURS.red);
    const batchSize = 3;
    const batchesInFlight = 2;
    let pulled = 0;
    let yielded = 0;
    let mostAhead = 0;
    let pulledAtFirstResult = 0;
    function* inputs() {
      for (let index = 0; index < 20; index += 1) {
        pulled += 1;
        mostAhead = Math.max(mostAhead, pulled - yielded);
        yield red;
      }
    }
    for await (const result of tagger.tag(inputs(), { batchSize, batchesInFlight })) {
      if (yielded === 0) pulledAtFirstResult = pulled;
      expect(result.ok).toBe(true);
      yielded += 1;
    }
    expect(yielded).toBe(20);
    // The second batch was read (and is decoding) before the first one's results came out.
    expect(pulledAtFirstResult).toBe(batchSize * batchesInFlight);
    expect(mostAhead).toBeLessThanOrEqual(batchSize * batchesInFlight);
  });

  it('reads one batch at a time with batchesInFlight 1', async () => {
    const blue = await makeColourImage(TEST_COLOURS.blue);
    let pulled = 0;
    let pulledAtFirstResult = -1;
    function* inputs() {
      for (let index = 0; index < 7; index += 1) {
        pulled += 1;
        yield blue;
      }
    }
    const results: TagImageResult<Buffer | string | Uint8Array>[] = [];
    for await (const result of tagger.tag(inputs(), { batchSize: 2, batchesInFlight: 1 })) {
      if (pulledAtFirstResult < 0) pulledAtFirstResult = pulled;
      results.push(result);
    }
    expect(pulledAtFirstResult).toBe(2);
    expect(results.map((result) => tagsOf(result)[0])).toEqual(Array(7).fill('blue'));
  });

  it('takes an async iterable and gives no total for it', async () => {
    const green = await makeColourImage(TEST_COLOURS.green);
    async function* inputs() {
      for (let index = 0; index < 5; index += 1) yield green;
    }
    const progress: TagProgress[] = [];
    const results = await collect(
      tagger.tag(inputs(), { onProgress: (value) => progress.push(value) }),
    );
    expect(results).toHaveLength(5);
    expect(progress.at(-1)).toEqual({ done: 5, failed: 0, total: undefined });
  });

  it('runs a model with a fixed batch size one image at a time', async () => {
    const { folder } = await writeTestTagger(path.join(temporary, 'fixed-batch'), { batchSize: 1 });
    const fixed = await loadTagger(folder);
    try {
      const images = [
        await makeColourImage(TEST_COLOURS.red),
        await makeColourImage(TEST_COLOURS.blue),
      ];
      const results = await collect(fixed.tag(images, { batchSize: 8 }));
      expect(results.map((result) => tagsOf(result)[0])).toEqual(['red', 'blue']);
    } finally {
      await fixed.close();
    }
  });
});

describe('an input that fails', () => {
  it('ends the run with the error of the input iterable, after the results before it', async () => {
    const red = await makeColourImage(TEST_COLOURS.red);
    async function* inputs() {
      for (let index = 0; index < 5; index += 1) yield red;
      throw new Error('the listing broke');
    }
    const seen: TagImageResult<Uint8Array | string>[] = [];
    const run = (async () => {
      for await (const result of tagger.tag(inputs(), { batchSize: 2 })) seen.push(result);
    })();
    await expect(run).rejects.toThrow('the listing broke');
    expect(seen.length).toBeLessThanOrEqual(4);
    expect(seen.every((result) => result.ok)).toBe(true);
  });

  it('reports an item whose source() throws and goes on', async () => {
    const blue = await makeColourImage(TEST_COLOURS.blue);
    const results = await collect(
      tagger.tag(['good', 'bad'], {
        source: (item) => {
          if (item === 'bad') throw new Error('no such image id');
          return blue;
        },
      }),
    );
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({
      ok: false,
      input: 'bad',
      error: { code: 'VALIDATION', message: expect.stringContaining('no such image id') },
    });
  });
});

describe('a model that fails at run time', () => {
  async function taggerWith(name: string, nodes: OnnxNode[], extra: OnnxInitializer[] = []) {
    const { folder, modelPath } = await writeTestTagger(path.join(temporary, name));
    await writeFile(
      modelPath,
      encodeOnnxModel({
        opset: 17,
        inputs: [{ name: 'input', shape: ['batch', 32, 32, 3] }],
        outputs: [{ name: 'output', shape: ['batch', 'tags'] }],
        initializers: extra,
        nodes,
      }),
    );
    return loadTagger(folder);
  }

  it('says so, naming both files, when the scores per image differ from the CSV rows', async () => {
    // NonZero's output size depends on the data, so onnxruntime cannot check it when loading:
    // a red image gives 2 scores (one non-zero channel mean) against 15 rows.
    const broken = await taggerWith('data-dependent-outputs', [
      {
        opType: 'ReduceMean',
        inputs: ['input'],
        outputs: ['mean'],
        attributes: { axes: [1, 2], keepdims: 0 },
      },
      { opType: 'NonZero', inputs: ['mean'], outputs: ['where'] },
      {
        opType: 'Cast',
        inputs: ['where'],
        outputs: ['output'],
        attributes: { to: OnnxDataType.FLOAT },
      },
    ]);
    try {
      const run = collect(broken.tag([await makeColourImage(TEST_COLOURS.red)]));
      await expect(run).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(
          /gave 2 scores for 1 images, but .*selected_tags\.csv lists 15 tags/,
        ),
      });
    } finally {
      await broken.close();
    }
  });

  it('turns an onnxruntime failure into a VALIDATION error naming the model', async () => {
    // One image is 3072 floats, which cannot be reshaped into 7 rows.
    const broken = await taggerWith(
      'bad-reshape',
      [{ opType: 'Reshape', inputs: ['input', 'rows'], outputs: ['output'] }],
      [{ name: 'rows', dims: [2], values: [7, -1], type: OnnxDataType.INT64 }],
    );
    try {
      const run = collect(broken.tag([await makeColourImage(TEST_COLOURS.red)]));
      await expect(run).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining(`onnxruntime could not run ${broken.modelPath}`),
      });
    } finally {
      await broken.close();
    }
  });
});

describe('cancelling', () => {
  it('stops reading inputs and rejects with CANCELLED when the signal aborts', async () => {
    const red = await makeColourImage(TEST_COLOURS.red);
    const controller = new AbortController();
    let pulled = 0;
    let closed = false;
    function* inputs() {
      try {
        for (let index = 0; index < 1000; index += 1) {
          pulled += 1;
          yield red;
        }
      } finally {
        closed = true;
      }
    }
    const seen: TagImageResult<Uint8Array | string>[] = [];
    const run = (async () => {
      for await (const result of tagger.tag(inputs(), {
        batchSize: 2,
        signal: controller.signal,
      })) {
        seen.push(result);
        if (seen.length === 3) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toHaveLength(3);
    expect(pulled).toBeLessThanOrEqual(6);
    expect(closed).toBe(true);
  });

  it('rejects at once with CANCELLED when the signal is already aborted, reading nothing', async () => {
    let pulled = 0;
    function* inputs() {
      pulled += 1;
      yield 'never-read.png';
    }
    const run = collect(tagger.tag(inputs(), { signal: AbortSignal.abort() }));
    await expect(run).rejects.toSatisfy((error) => CivtagError.hasCode(error, 'CANCELLED'));
    expect(pulled).toBe(0);
  });

  it('closes the input when the caller stops early', async () => {
    const red = await makeColourImage(TEST_COLOURS.red);
    let closed = false;
    function* inputs() {
      try {
        while (true) yield red;
      } finally {
        closed = true;
      }
    }
    for await (const result of tagger.tag(inputs(), { batchSize: 2 })) {
      expect(result.ok).toBe(true);
      break;
    }
    expect(closed).toBe(true);
  });
});

describe('options', () => {
  it('refuses options out of range before reading any input', async () => {
    let pulled = 0;
    function* inputs() {
      pulled += 1;
      yield 'x.png';
    }
    await expect(collect(tagger.tag(inputs(), { batchSize: 0 }))).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      collect(tagger.tag(inputs(), { thresholds: { general: 1.5 } })),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('general threshold'),
    });
    await expect(collect(tagger.tag(inputs(), { maxTags: -1 }))).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(pulled).toBe(0);
  });

  it('applies general thresholds, MCut, the exclude list and max tags', async () => {
    const red = await makeColourImage(TEST_COLOURS.red);
    const tagsWith = async (options: Parameters<Tagger['tag']>[1]) =>
      tagsOf((await collect(tagger.tag([red], options)))[0]);
    expect(await tagsWith({ thresholds: { general: 0.25 } })).toEqual([
      'red',
      'solo',
      'simple_background',
      'upper_body',
    ]);
    expect(await tagsWith({ thresholds: { general: 0.5 } })).toEqual([
      'red',
      'solo',
      'simple_background',
    ]);
    expect(await tagsWith({ thresholds: { general: 'mcut' } })).toEqual(['red', 'solo']);
    expect(await tagsWith({ exclude: ['simple background', 'SOLO'] })).toEqual(['red']);
    expect(await tagsWith({ maxTags: 2 })).toEqual(['red', 'solo']);
    // MCut for characters never goes below 0.15: other_character (0.27) passes on a red image.
    expect(await tagsWith({ thresholds: { general: 0.9, character: 'mcut' } })).toEqual([
      'red',
      'other_character',
    ]);
  });
});
