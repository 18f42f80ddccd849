import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeThumbnail } from '../src/make-thumbnail.js';
import { probeImage } from '../src/probe-image.js';
import { readImageFile } from '../src/read-image-file.js';
import { copyCorpusFolder, makeTemporaryFolder, removeTemporaryFolder } from './corpus.js';

let folder: string;
const files: string[] = [];

beforeAll(async () => {
  folder = await makeTemporaryFolder();
  for (const name of ['pngsuite', 'sharp-fixtures', 'generation-metadata']) {
    await copyCorpusFolder(name, folder);
  }
  const lists = [
    ['pngsuite', (name: string) => name.endsWith('.png')],
    ['sharp-fixtures', (name: string) => name !== 'LICENSE'],
    ['generation-metadata/bad_images', () => true],
  ] as const;
  for (const [subfolder, keep] of lists) {
    const names = (await readdir(path.join(folder, subfolder))).filter(keep);
    files.push(...names.map((name) => path.join(folder, subfolder, name)));
  }
});

afterAll(() => removeTemporaryFolder(folder));

type Outcome =
  | { ok: true; width: number; height: number }
  | { ok: false; code: string; message: string };

/** Probes and thumbnails one file, as an import does; a civtag image error is an outcome too. */
async function importOutcome(file: string): Promise<Outcome> {
  try {
    const probe = await probeImage(file);
    const thumbnail = await makeThumbnail(file);
    const metadata = await sharp(thumbnail).metadata();
    expect(metadata.format).toBe('webp');
    expect(metadata.pages ?? 1).toBe(1);
    expect(Math.max(metadata.width ?? 0, metadata.height ?? 0)).toBeLessThanOrEqual(256);
    expect(Math.max(metadata.width ?? 0, metadata.height ?? 0)).toBe(
      Math.min(256, Math.max(probe.width, probe.height)),
    );
    return { ok: true, width: probe.width, height: probe.height };
  } catch (error) {
    if (!CivtagError.isInstance(error)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

/** The same as {@link importOutcome}, from one read of the file (`readImageFile`). */
async function singleReadOutcome(file: string): Promise<Outcome> {
  try {
    const image = await readImageFile(file);
    const thumbnail = await makeThumbnail(image);
    expect(await makeThumbnail(file)).toEqual(thumbnail);
    return { ok: true, width: image.probe.width, height: image.probe.height };
  } catch (error) {
    if (!CivtagError.isInstance(error)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

describe('probing and thumbnailing every image of the corpus', () => {
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    for (const file of files) outcomes.set(path.relative(folder, file), await importOutcome(file));
  });

  it('comes to the same outcome, code and message from one read of each file (readImageFile)', async () => {
    // sharp words its input reasons for bytes ("Input buffer …", "Input Buffer is empty") other
    // than for a path ("Input file …"); every other reason must be the same.
    const wording = (outcome: Outcome | undefined) =>
      outcome?.ok === false
        ? {
            ...outcome,
            message: outcome.message.replace(/: Input (file|buffer) .*$/i, ': (input)'),
          }
        : outcome;
    for (const file of files) {
      const name = path.relative(folder, file);
      expect(wording(await singleReadOutcome(file)), name).toEqual(wording(outcomes.get(name)));
    }
  });

  it('either takes each file or refuses it with IMAGE_UNREADABLE or IMAGE_TOO_LARGE', () => {
    expect(outcomes.size).toBeGreaterThan(180);
    for (const [name, outcome] of outcomes) {
      if (!outcome.ok)
        expect(['IMAGE_UNREADABLE', 'IMAGE_TOO_LARGE'], name).toContain(outcome.code);
    }
  });

  it('refuses every deliberately corrupt PngSuite file and takes every valid one', () => {
    const suite = [...outcomes].filter(([name]) => name.startsWith('pngsuite/'));
    expect(suite.length).toBeGreaterThan(170);
    for (const [name, outcome] of suite) {
      if (path.basename(name).startsWith('x')) {
        expect(outcome, name).toMatchObject({ ok: false, code: 'IMAGE_UNREADABLE' });
      } else {
        expect(outcome.ok, `${name}: ${outcome.ok ? '' : outcome.message}`).toBe(true);
      }
    }
    expect(suite.filter(([, outcome]) => !outcome.ok)).toHaveLength(16);
  });

  it('refuses the giant fixtures as too large, and the broken ones with the decoder reason', () => {
    expect(outcomes.get('sharp-fixtures/giant-image.jpg')).toMatchObject({
      ok: false,
      code: 'IMAGE_TOO_LARGE',
    });
    expect(outcomes.get('sharp-fixtures/65536-uint32-limit.png')).toMatchObject({
      ok: false,
      code: 'IMAGE_TOO_LARGE',
    });
    expect(outcomes.get('sharp-fixtures/truncated.jpg')).toMatchObject({
      ok: false,
      code: 'IMAGE_UNREADABLE',
    });
    expect(outcomes.get('sharp-fixtures/truncated.png')).toMatchObject({
      ok: false,
      code: 'IMAGE_UNREADABLE',
    });
    expect(outcomes.get('sharp-fixtures/corrupt-header.jpg')).toMatchObject({
      ok: false,
      code: 'IMAGE_UNREADABLE',
    });
    expect(outcomes.get('generation-metadata/bad_images/empty_file.png')).toMatchObject({
      ok: false,
      code: 'IMAGE_UNREADABLE',
    });
    const truncated = outcomes.get('sharp-fixtures/truncated.jpg');
    expect(truncated?.ok === false && truncated.message).toMatch(
      /truncated\.jpg: .*premature end/i,
    );
    const checksum = outcomes.get('pngsuite/xcsn0g01.png');
    expect(checksum?.ok === false && checksum.message).toMatch(/checksum of the "IDAT" chunk/);
  });

  it('takes the unusual but valid fixtures: CMYK, 16-bit grey, animations, AVIF, tiny images', () => {
    for (const name of [
      'Channel_digital_image_CMYK_color_no_profile.jpg',
      '16-bit-grey-alpha.png',
      'animated-loop-3.gif',
      'animated-loop-3.webp',
      'pitm.avif',
      'grey-plus-alpha.gif',
      'big-height.webp',
    ]) {
      expect(outcomes.get(`sharp-fixtures/${name}`)?.ok, name).toBe(true);
    }
    expect(outcomes.get('generation-metadata/bad_images/empty_image.png')?.ok).toBe(true);
    expect(outcomes.get('sharp-fixtures/big-height.webp')).toEqual({
      ok: true,
      width: 13,
      height: 169,
    });
    expect(outcomes.get('sharp-fixtures/animated-loop-3.gif')).toEqual({
      ok: true,
      width: 370,
      height: 285,
    });
  });
});
