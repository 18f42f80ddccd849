// Someone editing caption files in another program while civtag runs (or while it is down):
// it rewrites a `.txt` in place or saves a new copy over it with a rename, as editors do. Each
// edit carries a marker tag of its own, so the history shows whether civtag took it in.
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VOCABULARY } from './op-maker.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Edits one caption every `meanGapMs` (random ± all of it), going round the images that no
 * exclude op touches in a shuffled order, so a file is edited again only after all the others.
 */
export function startExternalEditor({ dataset, workDir, model, pools, random, meanGapMs, counts }) {
  const edits = [];
  let running = true;
  // Mostly the quiet images (only the rare bulk ops over all images touch them), now and then
  // a busy one, whose edit races the clients' ops.
  const orders = { quiet: [], busy: [] };
  let written = 0;

  async function editOne() {
    const pool = random.chance(0.75) ? 'quiet' : 'busy';
    if (orders[pool].length === 0) {
      const ids = [...model.images.keys()].filter(
        (id) => !pools.excludable.has(id) && pools.quiet.has(id) === (pool === 'quiet'),
      );
      orders[pool] = random.shuffle(ids);
    }
    const id = orders[pool].pop();
    const image = model.images.get(id);
    if (image === undefined || image.excluded) return;
    written += 1;
    const tags = [...random.shuffle(VOCABULARY).slice(0, random.integer(0, 3)), `ed n${written}`];
    const caption = path.join(dataset, image.file.replace(/\.[^.]+$/, '.txt'));
    // Forms a hand-edited caption takes: CRLF, a BOM, a trailing comma.
    const style = random.integer(0, 3);
    const text = `${style === 1 ? '\ufeff' : ''}${tags.join(', ')}${style === 2 ? ',' : ''}${style === 3 ? '\r\n' : ''}`;
    const viaRename = random.chance(0.5);
    if (viaRename) {
      const temporary = path.join(workDir, `editor-${written}.txt`);
      await writeFile(temporary, text);
      await rename(temporary, caption);
    } else await writeFile(caption, text);
    edits.push({ imageId: id, tags, at: Date.now(), viaRename });
    counts.externalEdits += 1;
  }

  const loop = (async () => {
    while (running) {
      await sleep(random.between(0, 2 * meanGapMs));
      if (!running) break;
      await editOne().catch((error) => {
        counts.editorErrors.push(String(error));
      });
    }
  })();

  return {
    edits,
    stop() {
      running = false;
      return loop;
    },
  };
}

/**
 * What became of each edit: `taken` when an external change of its image holds its marker tag
 * (civtag took it in: as it is, or merged with the changes civtag made to the image since it
 * last wrote the file), `lost` otherwise, however near a change of civtag's to the image came:
 * civtag never writes over an edit it has not taken in.
 */
export function classifyEdits(edits, recorder) {
  const changes = [...recorder.changes.values()];
  const result = { taken: 0, lost: [] };
  for (const edit of edits) {
    const marker = edit.tags.at(-1);
    const taken = changes.some(
      (change) =>
        change.origin === 'external' && change.tagsOf?.[edit.imageId]?.includes(marker) === true,
    );
    if (taken) {
      result.taken += 1;
      continue;
    }
    const later = changes.find(
      (change) => change.imageIds.includes(edit.imageId) && change.seenAt > edit.at,
    );
    result.lost.push({
      ...edit,
      nextChange: later && {
        revision: later.revision,
        origin: later.origin,
        afterMs: later.seenAt - edit.at,
      },
    });
  }
  return result;
}
