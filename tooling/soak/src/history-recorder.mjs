// The server's history as the soak sees it: it polls `GET /api/changes?since=N` (the feed the
// socket replays) all through the run, across kills, and keeps every change it is given by
// revision, with the client id and op id that made it. It also folds the changes into a model
// of the dataset, which the soak's actors pick images from and the end compares with what the
// server serves. A revision that goes back after a restart means acknowledged changes were lost.
import { requestJson } from './http-json.mjs';

export class HistoryRecorder {
  /** revision → `{ revision, clientId, opId, origin, imageIds, seenAt }` */
  changes = new Map();
  /** Where the feed said "reload": revisions this recorder could not see. */
  gaps = [];
  /** Revisions that went back (the server lost changes it had served). */
  regressions = [];
  /** Changes that arrived again with another key for a revision already seen. */
  conflicts = [];
  /** id → `{ id, file, tags, excluded, hash }` */
  images = new Map();
  revision = 0;
  polls = 0;
  #base;
  #running = false;
  #loop;

  constructor(base) {
    this.#base = base;
  }

  /** Starts from the images the server serves at `revision`. */
  start({ revision, images }) {
    this.revision = revision;
    for (const image of images) this.#addImage(image);
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop() {
    this.#running = false;
    await this.#loop;
  }

  async #run() {
    while (this.#running) {
      await this.poll();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** One poll; true when the server answered. */
  async poll() {
    const answer = await requestJson(`${this.#base}/api/changes?since=${this.revision}`);
    if (!answer.ok) return false;
    this.polls += 1;
    const { revision, reload, changes } = answer.body;
    if (revision < this.revision) {
      this.regressions.push({ from: this.revision, to: revision, at: Date.now() });
      this.revision = revision;
      return true;
    }
    if (reload) {
      this.gaps.push({ from: this.revision + 1, to: revision, at: Date.now() });
      this.revision = revision;
      return true;
    }
    const seenAt = Date.now();
    for (const change of changes) this.#take(change, seenAt);
    this.revision = Math.max(this.revision, revision);
    return true;
  }

  #take(change, seenAt) {
    const known = this.changes.get(change.revision);
    if (known !== undefined) {
      if (known.clientId !== change.clientId || known.opId !== change.opId) {
        this.conflicts.push({ revision: change.revision, first: known, second: change });
      }
      return;
    }
    this.changes.set(change.revision, {
      revision: change.revision,
      clientId: change.clientId,
      opId: change.opId,
      origin: change.origin,
      imageIds: change.changes.map((image) => image.imageId),
      tagsOf:
        change.origin === 'external'
          ? Object.fromEntries(change.changes.map((image) => [image.imageId, image.tags]))
          : undefined,
      seenAt,
    });
    for (const added of change.added ?? []) this.#addImage(added);
    for (const image of change.changes) {
      const model = this.images.get(image.imageId);
      if (model === undefined) continue;
      model.tags = image.tags;
      if (image.excluded !== undefined) model.excluded = image.excluded;
    }
  }

  #addImage(record) {
    this.images.set(record.id, {
      id: record.id,
      file: record.file,
      tags: record.tags,
      excluded: record.excluded,
      hash: record.hash,
    });
  }
}
