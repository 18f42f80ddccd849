import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDataset } from '@civtag/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../../test/run-cli-in-process.js';
import { writeDemoImages } from '../demo-images.js';

const run = runCliInProcess;

const scratch = await mkdtemp(path.join(tmpdir(), 'civtag-settings-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const source = path.join(scratch, 'photos');
await writeDemoImages(source);

async function importInto(name: string, ...options: string[]): Promise<string> {
  const dataset = path.join(scratch, name);
  const result = await run(['import', source, '--out', dataset, ...options]);
  expect(result.code, result.stderr).toBe(0);
  return dataset;
}

describe('civtag settings', () => {
  it('prints the settings, and changes them as one undoable edit that renames the trigger word in every caption', async () => {
    const dataset = await importInto('renamed', '--prefix', 'demo', '--trigger', 'shapes');
    const shown = await run(['settings', dataset]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('trigger word:  shapes');
    expect(shown.stdout).toContain('kohya repeats: 10');

    const changed = await run([
      'settings',
      dataset,
      '--trigger',
      'geometry_style',
      '--tag-style',
      'underscores',
      '--repeats',
      '4',
      '--json',
    ]);
    expect(changed.code, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({
      ok: true,
      changed: { triggerWord: 'geometry_style', kohyaRepeats: 4 },
      settings: {
        triggerWord: 'geometry_style',
        kohyaRepeats: 4,
        tagStyle: { separator: 'underscore' },
      },
    });
    expect((await readFile(path.join(dataset, 'demo_0001.txt'), 'utf8')).split(', ')[0]).toBe(
      'geometry_style',
    );

    const opened = await openDataset(dataset);
    try {
      await opened.undo();
      expect(opened.settings).toMatchObject({ triggerWord: 'shapes', kohyaRepeats: 10 });
    } finally {
      await opened.close();
    }
    expect((await readFile(path.join(dataset, 'demo_0001.txt'), 'utf8')).split(', ')[0]).toBe(
      'shapes',
    );
  });

  it('says so when the settings asked for are already the dataset’s', async () => {
    const dataset = await importInto('unchanged', '--trigger', 'shapes');
    const result = await run(['settings', dataset, '--trigger', 'shapes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing changed');
  });

  it('refuses a bad value with exit 2, naming the option', async () => {
    const dataset = await importInto('refused');
    const cases: [string[], RegExp][] = [
      [['--tag-style', 'dashes'], /--tag-style must be "spaces" or "underscores"/],
      [['--escape-parens', 'yes'], /--escape-parens must be "on" or "off"/],
      [['--repeats', '0'], /--repeats must be a whole number from 1 to 99999/],
      [['--prefix', 'a b'], /--prefix must be 1–64 letters/],
      [['--trigger', 'a', '--no-trigger'], /--trigger WORD or --no-trigger, not both/],
    ];
    for (const [options, message] of cases) {
      const result = await run(['settings', dataset, ...options]);
      expect(result.code, options.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('civtag import into an existing dataset', () => {
  it('applies --trigger and --prefix as an undoable settings change before importing, instead of ignoring them', async () => {
    const dataset = await importInto('existing', '--prefix', 'old', '--trigger', 'first_style');
    const more = path.join(scratch, 'more');
    await writeDemoImages(more);
    // Different bytes than the first import, so they are new images, not duplicates.
    const { default: sharp } = await import('sharp');
    await sharp({ create: { width: 80, height: 80, channels: 3, background: '#123456' } })
      .png()
      .toFile(path.join(more, 'extra.png'));

    const result = await run([
      'import',
      more,
      '--out',
      dataset,
      '--prefix',
      'new',
      '--trigger',
      'second_style',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('trigger word first_style → second_style');
    const opened = await openDataset(dataset);
    try {
      expect(opened.settings).toMatchObject({ prefix: 'new', triggerWord: 'second_style' });
      const files = opened.images().map((image) => image.file);
      expect(files.filter((file) => file.startsWith('new_'))).toEqual(['new_0001.png']);
      for (const image of opened.images()) expect(image.tags[0]).toBe('second_style');
    } finally {
      await opened.close();
    }
  });
});
