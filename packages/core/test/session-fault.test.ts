import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { CivtagError } from '@civtag/api-models';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDataset } from '../src/index.js';
import { makeTempDir } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
beforeAll(async () => {
  temp = await makeTempDir('session-fault');
});
afterAll(async () => {
  await temp.remove();
});

it('tells its listeners when its lock is taken away, which no caller would otherwise hear of', async () => {
  const dir = path.join(temp.dir, 'dataset');
  const dataset = await createDataset(dir, { prefix: 'lock' });
  const faults: CivtagError[] = [];
  dataset.on('session-fault', (error) => faults.push(error));
  await rm(path.join(dir, '.civtag', 'lock'));
  // The session looks at its lock every 2 s in the background, and on every change.
  await expect
    .poll(() => faults.map((fault) => fault.code), { timeout: 15_000, interval: 100 })
    .toEqual(['SESSION_LOCKED']);
  await expect(
    dataset.apply({ type: 'settings', changes: { triggerWord: 'sks' } }),
  ).rejects.toMatchObject({ code: 'SESSION_LOCKED' });
  await dataset.close().catch(() => undefined);
});
