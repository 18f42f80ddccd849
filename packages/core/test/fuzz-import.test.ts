import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../src/index.js';
import { createDataset, openDataset } from '../src/index.js';
import { corpusDir, makeTempDir } from './fixtures.js';

/**
 * Broken image files from the corpus's real ones (cut short, bytes flipped, a piece of another
 * file spliced in, a range zeroed, garbage appended), imported in batches: each file is either
 * imported, a duplicate, or a failure that names it with IMAGE_UNREADABLE or IMAGE_TOO_LARGE;
 * the batch goes on; nothing torn is left in the dataset; nothing rejects unhandled.
 */

const SEEDS = [
  'sharp-fixtures/big-height.webp',
  'sharp-fixtures/animated-loop-3.gif',
  'sharp-fixtures/16-bit-grey-alpha.png',
  'sharp-fixtures/grey-8bit-alpha.png',
  'sharp-fixtures/pitm.avif',
  'generation-metadata/AUTOMATIC1111/automatic1111_stealth.png',
  'generation-metadata/AUTOMATIC1111/automatic1111_cropped.jpg',
  'pngsuite/basn2c08.png',
];
const IMAGE_FAILURES = ['IMAGE_UNREADABLE', 'IMAGE_TOO_LARGE'];
/** Cases imported into one dataset before a fresh one is made, so long runs stay quick. */
const CASES_PER_DATASET = 100;

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number[]; mask: number }
  | { kind: 'splice'; at: number; from: number; start: number; length: number }
  | { kind: 'zero'; at: number; length: number }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'intact' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('splice' as const),
      at: fc.nat(),
      from: fc.nat(SEEDS.length - 1),
      start: fc.nat(),
      length: fc.integer({ min: 1, max: 4096 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('zero' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 2048 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 512 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'intact' as const }) },
);

function mutate(seeds: readonly Buffer[], seed: number, change: Mutation): Buffer {
  const bytes = Buffer.from(seeds[seed] as Buffer);
  const offset = (at: number) => at % (bytes.length + 1);
  switch (change.kind) {
    case 'truncate':
      return bytes.subarray(0, offset(change.at));
    case 'flip':
      for (const at of change.at) {
        const index = at % bytes.length;
        bytes[index] = (bytes[index] as number) ^ change.mask;
      }
      return bytes;
    case 'splice': {
      const other = seeds[change.from] as Buffer;
      const start = change.start % other.length;
      const piece = other.subarray(start, start + change.length);
      const at = offset(change.at);
      return Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at + piece.length)]);
    }
    case 'zero':
      bytes.fill(0, offset(change.at), Math.min(bytes.length, offset(change.at) + change.length));
      return bytes;
    case 'append':
      return Buffer.concat([bytes, change.bytes]);
    case 'intact':
      return bytes;
  }
}

const faults: unknown[] = [];
const recordFault = (error: unknown) => faults.push(error);
let temp: { dir: string; remove: () => Promise<void> };
let seeds: Buffer[];
let dataset: Dataset | undefined;

beforeAll(async () => {
  process.on('unhandledRejection', recordFault);
  process.on('uncaughtException', recordFault);
  temp = await makeTempDir('import-fuzz');
  seeds = await Promise.all(SEEDS.map((name) => readFile(path.join(corpusDir(), name))));
});
afterAll(async () => {
  process.off('unhandledRejection', recordFault);
  process.off('uncaughtException', recordFault);
  await dataset?.close();
  await temp.remove();
});

/** Checks the dataset reopens with the same images and a clean consistency check, then closes it. */
async function checkAndClose(open: Dataset, folder: string): Promise<void> {
  const images = open.images();
  await open.close();
  const reopened = await openDataset(folder);
  try {
    expect(reopened.images()).toEqual(images);
    // Warnings (no tags yet, small images) are the corpus's; an error is something torn.
    const errors = (await reopened.check()).problems.filter(
      (problem) => problem.severity === 'error',
    );
    expect(errors, JSON.stringify(errors).slice(0, 3000)).toEqual([]);
  } finally {
    await reopened.close();
  }
}

describe('importing broken image files', () => {
  it(
    'imports, skips as a duplicate or names each file as unreadable, goes on, and leaves nothing torn',
    async () => {
      let caseNumber = 0;
      let datasetFolder = '';
      const property = fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(SEEDS.length - 1), mutation, fc.boolean()), {
          minLength: 1,
          maxLength: 5,
        }),
        async (files) => {
          if (dataset === undefined || caseNumber % CASES_PER_DATASET === 0) {
            if (dataset !== undefined) await checkAndClose(dataset, datasetFolder);
            datasetFolder = path.join(temp.dir, `dataset-${caseNumber}`);
            dataset = await createDataset(datasetFolder, { prefix: 'fuzz' });
          }
          caseNumber += 1;
          const source = path.join(temp.dir, `source-${caseNumber}`);
          await mkdir(source);
          const written: string[] = [];
          for (const [index, [seed, change, wrongExtension]] of files.entries()) {
            const extension = wrongExtension ? '.png' : path.extname(SEEDS[seed] as string);
            const file = path.join(source, `file-${index}${extension}`);
            await writeFile(file, mutate(seeds, seed, change));
            written.push(file);
          }
          const open = dataset;
          const before = new Set(open.images().map((image) => image.id));
          const result = await open.import(source).done;
          const added = open.images().filter((image) => !before.has(image.id));

          expect(result.state).toBe('done');
          expect(result.total).toBe(written.length);
          for (const failure of result.failures) {
            expect(IMAGE_FAILURES, JSON.stringify(failure)).toContain(failure.code);
            expect(written).toContain(failure.path);
          }
          const accounted = [
            ...result.failures.map((failure) => failure.path),
            ...result.duplicates.map((duplicate) => duplicate.path),
            ...added.map((image) => path.join(source, image.source?.path ?? '?')),
          ].sort();
          expect(accounted).toEqual([...written].sort());
          for (const image of added) {
            const bytes = await readFile(open.imagePath(image.id));
            expect(createHash('sha256').update(bytes).digest('hex'), image.file).toBe(image.hash);
          }
          expect(faults).toEqual([]);
        },
      );
      // Stateful: whether a file is a duplicate depends on the cases before it.
      await checkFuzzTarget('core-import-broken-images', property, 100, { stateful: true });
      if (dataset !== undefined) await checkAndClose(dataset, datasetFolder);
      dataset = undefined;
    },
    fuzzTimeout(120_000),
  );
});
