// New images arriving: every so often a folder of a few new images appears under the server's
// import root and is imported with `POST /api/imports`. A job the kill interrupted is started
// again on the next round (an import of the same folder resumes), as a user would.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requestJson } from './http-json.mjs';
import { soakPng } from './png-image.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function startImportFeeder({ base, importRoot, random, everyMs, firstImageIndex, counts }) {
  let running = true;
  let nextImage = firstImageIndex;
  /** Folders not yet imported to the end: `{ folder, images }`. */
  const unfinished = [];
  const batches = [];

  async function importFolder(batch) {
    const started = await requestJson(`${base}/api/imports`, {
      method: 'POST',
      body: { source: batch.folder },
    });
    if (!started.ok) {
      if (started.status >= 500)
        counts.serverErrors.push({
          what: `POST /api/imports ${batch.folder}`,
          status: started.status,
          body: started.body,
        });
      return false;
    }
    counts.importsStarted += 1;
    for (;;) {
      await sleep(200);
      const progress = await requestJson(`${base}/api/imports/${started.body.jobId}`);
      if (!progress.ok) return false;
      if (progress.body.state === 'running') continue;
      if (progress.body.state === 'done' && progress.body.failed === 0) {
        counts.importsDone += 1;
        return true;
      }
      counts.importProblems.push({
        folder: batch.folder,
        state: progress.body.state,
        failures: progress.body.failures,
      });
      return false;
    }
  }

  /** Imports every unfinished folder once; true when none is left. */
  async function catchUp() {
    for (const batch of [...unfinished]) {
      if (await importFolder(batch)) unfinished.splice(unfinished.indexOf(batch), 1);
      else counts.importRetries += 1;
    }
    return unfinished.length === 0;
  }

  const loop = (async () => {
    while (running) {
      await sleep(random.between(everyMs / 2, (everyMs * 3) / 2));
      if (!running) break;
      const folder = path.join(importRoot, `batch-${batches.length + 1}`);
      await mkdir(folder, { recursive: true });
      const count = random.integer(2, 6);
      for (let index = 0; index < count; index += 1) {
        await writeFile(path.join(folder, `new-${nextImage}.png`), soakPng(nextImage));
        nextImage += 1;
      }
      const batch = { folder, images: count };
      batches.push(batch);
      unfinished.push(batch);
      counts.importedImagesOffered += count;
      await catchUp();
    }
  })();

  return {
    batches,
    stop() {
      running = false;
      return loop;
    },
    /** Imports what is left, trying until `deadline`; true when every folder is in. */
    async finish(deadline) {
      while (Date.now() < deadline) {
        if (await catchUp()) return true;
        await sleep(500);
      }
      return false;
    },
  };
}
