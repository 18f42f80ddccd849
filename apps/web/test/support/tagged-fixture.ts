import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeColourImage, TEST_COLOURS, writeTestTagger } from '@civtag/autotag/testing';
import { cliPath } from './paths.js';

const run = promisify(execFile);

/** A dataset of one-colour images, with the test tagger beside it. */
export interface TaggedFixture {
  root: string;
  dataset: string;
  /** The test tagger's folder, for `civtag serve --model`. */
  tagger: string;
}

/** Options of {@link makeTaggedFixture}. */
export interface TaggedFixtureOptions {
  /** Run `civtag tag` before any server starts. Default true. */
  tag?: boolean;
  /** Images besides the red, green and blue ones (yellow, each a width of its own). Default 0. */
  extraImages?: number;
  /** The tagger's compute (see `writeTestTagger`). Default `tiny`. */
  compute?: 'tiny' | 'realistic' | 'heavy';
}

const COLOURS = ['red', 'green', 'blue'] as const;

/** The width of each colour's image: how a test tells them apart in the dataset. */
export const COLOUR_WIDTHS = { red: 64, green: 72, blue: 80 } as const;

/**
 * Imports a red, a green and a blue image (each a size of its own: equal files would be one
 * image) with `civtag import`, writes the tiny test tagger (`@civtag/autotag/testing`: scores
 * follow the colour, so the red image is proposed `red`), and, unless `tag` is false, runs
 * `civtag tag` in its default `propose` mode, which stores proposals through core's `autoTag`
 * and writes no caption.
 */
export async function makeTaggedFixture(
  options: TaggedFixtureOptions = {},
): Promise<TaggedFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'civtag-web-e2e-tagged-'));
  try {
    const source = path.join(root, 'source');
    await mkdir(source);
    for (const [index, colour] of COLOURS.entries()) {
      const bytes = await makeColourImage(TEST_COLOURS[colour], { width: COLOUR_WIDTHS[colour] });
      await writeFile(path.join(source, `${index + 1}-${colour}.png`), bytes);
    }
    for (let index = 0; index < (options.extraImages ?? 0); index += 1) {
      const bytes = await makeColourImage(TEST_COLOURS.yellow, { width: 100 + index });
      await writeFile(path.join(source, `extra-${index}.png`), bytes);
    }
    const dataset = path.join(root, 'dataset');
    await run(
      process.execPath,
      [cliPath, 'import', source, '--out', dataset, '--prefix', 'tag', '--json'],
      { timeout: 120_000 },
    );
    const { folder } = await writeTestTagger(path.join(root, 'tagger'), {
      compute: options.compute ?? 'tiny',
    });
    if (options.tag !== false) {
      await run(process.execPath, [cliPath, 'tag', dataset, '--model', folder, '--json'], {
        timeout: 120_000,
      });
    }
    return { root, dataset, tagger: folder };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
