import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Dataset } from '@civtag/core';
import type { CommandContext } from './command-context.js';
import { say } from './command-context.js';
import { isDataset, openOrCreateDataset } from './dataset-folder.js';
import { writeDemoImages } from './demo-images.js';
import { runImport } from './run-import.js';

/**
 * The demo's folder: `$XDG_CACHE_HOME/civtag/demo`, else `~/.cache/civtag/demo`. It holds the
 * generated `source/` images and the `dataset/` imported from them, and nothing else.
 */
export function demoFolder(env: NodeJS.ProcessEnv): string {
  const cache =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== ''
      ? env.XDG_CACHE_HOME
      : path.join(homedir(), '.cache');
  return path.join(cache, 'civtag', 'demo');
}

/**
 * Opens the demo dataset, making it first when it does not exist: 24 generated sample images
 * (shapes and gradients of varied sizes, one only 48 px so `check` has a finding) with a few
 * captions, imported like any folder. Its edits persist between runs.
 */
export async function openDemoDataset(
  context: CommandContext,
): Promise<{ dataset: Dataset; dir: string }> {
  const root = demoFolder(context.env);
  const source = path.join(root, 'source');
  const dir = path.join(root, 'dataset');
  if (!existsSync(path.join(source, 'red-circle.png'))) {
    say(context, `Making the demo images in ${source}…`);
    await writeDemoImages(source);
  }
  const fresh = !isDataset(dir);
  // The demo's settings are those it is made with; changes made since in the web app stay.
  const { dataset } = await openOrCreateDataset(context, dir, (current) =>
    current === undefined ? { prefix: 'demo', triggerWord: 'shapes' } : {},
  );
  if (fresh || dataset.imageCount === 0) {
    try {
      await runImport(context, dataset, source);
    } catch (error) {
      await dataset.close();
      throw error;
    }
  }
  return { dataset, dir };
}
