import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataset } from '../src/index.js';
import { makeTempDir, writePngs } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  temp = await makeTempDir('import-done');
});
afterEach(() => temp.remove());

/** Polls `progress()` on every turn of the event loop until the job says it has ended. */
async function firstEndedRevision(
  job: { progress: () => { state: string } },
  revision: () => number,
): Promise<number> {
  while (job.progress().state === 'running') await new Promise((resolve) => setImmediate(resolve));
  return revision();
}

describe('an import job that says it is done', () => {
  // Found by the server's HTTP fuzz test (seed 2): a client polling GET /api/imports/:jobId saw
  // "done" while the job's last journal entry was still being written, and the dataset's
  // revision moved after it.
  it('says so only once its last journal entry is written', async () => {
    const source = path.join(temp.dir, 'source');
    await mkdir(source);
    const dataset = await createDataset(path.join(temp.dir, 'dataset'), { prefix: 'done' });
    try {
      for (const files of [0, 2]) {
        await writePngs(source, files);
        const job = dataset.import(source);
        const seen = await firstEndedRevision(job, () => dataset.revision);
        await job.done;
        expect(seen, `an import of ${files} new files`).toBe(dataset.revision);
      }
    } finally {
      await dataset.close();
    }
  });
});
