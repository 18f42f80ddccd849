import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AutoTagStatus, HealthResponse } from '@civtag/api-models';
import { makeColourImage, TEST_COLOURS, writeTestTagger } from '@civtag/autotag/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataset, runCivtag, scratchFolder, spawnServe, waitUntil } from './harness.js';
import { runCliInProcess } from './run-cli-in-process.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** A dataset `set` of a red, a blue (hand-captioned) and a green image, and a tagger folder. */
async function prepare(): Promise<{ root: string; set: string; tagger: string }> {
  const root = await scratchFolder(cleanUps);
  const photos = path.join(root, 'photos');
  await mkdir(photos);
  const colours = [TEST_COLOURS.red, TEST_COLOURS.blue, TEST_COLOURS.green];
  for (const [index, colour] of colours.entries()) {
    await writeFile(
      path.join(photos, `photo-${index}.png`),
      await makeColourImage(colour, { width: 64 + index }),
    );
  }
  await writeFile(path.join(photos, 'photo-1.txt'), 'hand tag, zeta');
  const imported = await runCivtag(['import', 'photos', '--out', 'set', '--tag-style', 'spaces'], {
    cwd: root,
  });
  expect(imported.code, imported.stderr).toBe(0);
  const { folder } = await writeTestTagger(path.join(root, 'tagger'));
  return { root, set: path.join(root, 'set'), tagger: folder };
}

async function captionFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.txt')) files[name] = await readFile(path.join(dir, name), 'latin1');
  }
  return files;
}

describe('civtag tag, bundled', () => {
  it('proposes without touching a caption, and a second run skips what is scored', async () => {
    const { root, set, tagger } = await prepare();
    const before = await captionFiles(set);
    const first = await runCivtag(['tag', 'set', '--model', tagger, '--json'], { cwd: root });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      ok: true,
      mode: 'propose',
      state: 'done',
      scored: 3,
      skipped: 0,
      failed: [],
      tagged: 0,
    });
    expect(await captionFiles(set)).toEqual(before);
    const dataset = await openDataset(set);
    try {
      const proposed = dataset.images().map((image) => image.proposals?.map(({ tag }) => tag));
      expect(proposed[0]).toContain('red');
      expect(proposed[1]).toContain('blue');
      expect(proposed[2]).toContain('green');
    } finally {
      await dataset.close();
    }
    const second = await runCivtag(['tag', 'set', '--model', tagger], { cwd: root });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('0 images scored, 3 skipped as already scored, 0 failed.');
  });

  it('fills only the empty captions with --mode fill-empty, honouring the threshold and exclusions', async () => {
    const { root, set, tagger } = await prepare();
    const result = await runCivtag(
      [
        'tag',
        'set',
        '--model',
        tagger,
        '--mode',
        'fill-empty',
        '--threshold',
        '0.4',
        '--exclude',
        'simple_background',
        '--json',
      ],
      { cwd: root },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ scored: 3, tagged: 2 });
    const captions = await captionFiles(set);
    expect(Object.values(captions)).toEqual(['red, solo', 'hand tag, zeta', 'green, solo']);
  });

  it('appends after the hand tags with --mode append, only for the images a query matches', async () => {
    const { root, set, tagger } = await prepare();
    const result = await runCivtag(
      [
        'tag',
        'set',
        '--model',
        tagger,
        '--mode',
        'append',
        '--query',
        'zeta',
        '--threshold',
        '0.9',
      ],
      { cwd: root },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '1 image scored, 0 skipped as already scored, 0 failed; 1 caption changed.',
    );
    expect(Object.values(await captionFiles(set))).toEqual(['hand tag, zeta, blue']);
  });

  it('stops cleanly on Ctrl+C, keeping what was scored, and the same command goes on', async () => {
    const { root, set, tagger } = await prepare();
    const first = await runCivtag(['tag', 'set', '--model', tagger, '--query', 'zeta'], {
      cwd: root,
    });
    expect(first.code, first.stderr).toBe(0);
    // Ctrl+C the moment the command starts listening for it: the one point a test can hit
    // every time (a real signal could land before the listener or after the last image).
    const once = process.once.bind(process);
    process.once = ((event: string, listener: (...args: unknown[]) => void) => {
      once(event, listener);
      if (event === 'SIGINT') queueMicrotask(() => listener('SIGINT'));
      return process;
    }) as typeof process.once;
    let stopped: Awaited<ReturnType<typeof runCliInProcess>>;
    try {
      stopped = await runCliInProcess(['tag', set, '--model', tagger]);
    } finally {
      process.once = once as typeof process.once;
    }
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('was stopped after 0 of 2 images');
    expect(stopped.stderr).toContain('run the same command again');
    const resumed = await runCivtag(['tag', 'set', '--model', tagger, '--json'], { cwd: root });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ state: 'done', scored: 2, skipped: 1 });
  });

  it('names the missing file when the model folder is not a tagger, and changes nothing', async () => {
    const { root, set } = await prepare();
    const before = await captionFiles(set);
    const result = await runCivtag(['tag', 'set', '--model', 'photos'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(path.join(root, 'photos', 'model.onnx'));
    expect(result.stderr).toContain('selected_tags.csv');
    expect(await captionFiles(set)).toEqual(before);
  });

  it('refuses a bad mode or threshold as a usage error', async () => {
    const { root, tagger } = await prepare();
    const mode = await runCivtag(['tag', 'set', '--model', tagger, '--mode', 'overwrite'], {
      cwd: root,
    });
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--mode must be propose, fill-empty or append');
    const threshold = await runCivtag(['tag', 'set', '--model', tagger, '--threshold', '2'], {
      cwd: root,
    });
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain('--threshold must be a score from 0 to 1');
  });
});

describe('civtag serve --model, bundled', () => {
  it('refuses a folder that is not a tagger at start, naming the missing file, before opening the dataset', async () => {
    const { root, set } = await prepare();
    const result = await runCivtag(['serve', 'set', '--model', 'photos', '--port', '0'], {
      cwd: root,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(path.join(root, 'photos', 'model.onnx'));
    // The dataset was never opened: nobody holds its lock.
    await expect(stat(path.join(set, '.civtag', 'lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('serves with the tagger: health says so and a job from the browser stores proposals', async () => {
    const { set, tagger } = await prepare();
    const served = await spawnServe([set, '--model', tagger, '--port', '0']);
    cleanUps.push(async () => {
      if (served.child.exitCode === null) served.child.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${served.port}`;
    const health = (await (await fetch(`${base}/api/health`)).json()) as HealthResponse;
    expect(health.tagger).toBe(true);
    const started = await fetch(`${base}/api/autotag`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(started.status, await started.clone().text()).toBe(202);
    await waitUntil(async () => {
      const status = (await (await fetch(`${base}/api/autotag`)).json()) as AutoTagStatus;
      return status.job?.state === 'done';
    });
    served.child.kill('SIGINT');
    expect((await served.exited).code).toBe(0);
    const dataset = await openDataset(set);
    try {
      expect(dataset.images().every((image) => (image.proposals?.length ?? 0) > 0)).toBe(true);
    } finally {
      await dataset.close();
    }
  });
});
