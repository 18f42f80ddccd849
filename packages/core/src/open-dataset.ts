import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  CivtagError,
  DEFAULT_KOHYA_REPEATS,
  DEFAULT_TAG_STYLE,
  ErrorCode,
  KohyaRepeatsSchema,
  PrefixSchema,
  parseOrThrow,
  type Settings,
  type TagStyle,
  TagStyleSchema,
} from '@civtag/api-models';
import { makeFolder, temporaryNameMark } from '@civtag/core-fs';
import { openSession } from '@civtag/session';
import type { SessionStore } from '@civtag/session/store';
import { normalizeTag } from '@civtag/tags';
import { CIVTAG_FOLDER, TRASH_FOLDER } from './caption-files.js';
import { captionStyle, captionText, textHash } from './caption-text.js';
import { Dataset, type SharedFiles } from './dataset.js';
import { datasetSessionOptions } from './dataset-session.js';
import type { DatasetEntry } from './entry-schema.js';
import { newId } from './ids.js';
import { ImageIndex } from './image-index.js';
import { pathExists } from './path-exists.js';
import { createReducer, rememberedResult, resultWeight } from './reduce-entry.js';
import type { DatasetState } from './state-schema.js';
import { livesInStoreError, readStoreNote } from './store-note.js';
import { sweepDatasetFolders } from './sweep-dataset-folders.js';
import { THUMBS_FOLDER } from './thumbnail.js';

/** How many changed images the change feed keeps for clients that reconnect. */
const FEED_IMAGES = 20_000;

export { CIVTAG_FOLDER };

/** Options of {@link createDataset}. */
export interface CreateDatasetOptions {
  /** File-name prefix: `sakura` gives `sakura_0001.png`. 1–64 of `[A-Za-z0-9_-]`. */
  prefix: string;
  /** The word that activates the LoRA: kept first in every caption. None by default. */
  triggerWord?: string;
  /**
   * How tags are stored and written (`{ separator: 'space' | 'underscore', escapeParentheses }`).
   * When absent, the first import that reads captions picks it from them (the separator most
   * of their tags use, and whether they escape parentheses); until then `DEFAULT_TAG_STYLE`.
   */
  tagStyle?: TagStyle;
  /** The repeats of a kohya export that names none: 1 to 99,999, default 10. */
  kohyaRepeats?: number;
}

/**
 * Makes a new, empty dataset in `dir` (created when missing) and opens it.
 *
 * @example
 * const dataset = await createDataset('./sakura', { prefix: 'sakura', triggerWord: 'sakura_style' });
 * @throws CivtagError `VALIDATION` for a bad prefix, trigger word, tag style or kohya repeats;
 *   `CONFLICT` when `dir` already holds a dataset; `IO_ERROR`.
 */
export async function createDataset(dir: string, options: CreateDatasetOptions): Promise<Dataset> {
  const root = path.resolve(dir);
  const settings: Settings = {
    prefix: parseOrThrow(PrefixSchema, options.prefix, 'dataset prefix'),
    tagStyle: parseOrThrow(TagStyleSchema, options.tagStyle ?? DEFAULT_TAG_STYLE, 'tag style'),
    kohyaRepeats: parseOrThrow(
      KohyaRepeatsSchema,
      options.kohyaRepeats ?? DEFAULT_KOHYA_REPEATS,
      'kohya repeats',
    ),
  };
  if (options.triggerWord !== undefined) settings.triggerWord = normalizeTag(options.triggerWord);
  if (await pathExists(path.join(root, CIVTAG_FOLDER))) {
    throw new CivtagError(
      ErrorCode.CONFLICT,
      `${root} already holds a civtag dataset; open it with openDataset instead.`,
      {
        details: { path: root },
      },
    );
  }
  const initial: DatasetState = {
    id: newId(),
    settings,
    ...(options.tagStyle === undefined ? { pickTagStyleOnImport: true as const } : {}),
    revision: 0,
    images: {},
    imports: [],
    undo: [],
    redo: [],
  };
  await writeInitialState(root, initial);
  return open(root, noSavedState(root));
}

/**
 * Writes the first snapshot into a hidden staging folder, then renames it to `.civtag/` in one
 * step: a crash while a dataset is being created leaves no half-made `.civtag/` behind.
 */
async function writeInitialState(root: string, initial: DatasetState): Promise<void> {
  const staging = path.join(root, `${CIVTAG_FOLDER}-new-${newId()}`);
  await makeFolder(staging);
  const session = await openSession(
    datasetSessionOptions(staging, { initial: () => initial, reduce: createReducer() }),
  );
  await session.close();
  try {
    await rename(staging, path.join(root, CIVTAG_FOLDER));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new CivtagError(
      ErrorCode.CONFLICT,
      `${root} already holds a civtag dataset; open it with openDataset instead.`,
      { cause: error, details: { path: root } },
    );
  }
}

function noSavedState(root: string): () => DatasetState {
  return () => {
    throw new CivtagError(
      ErrorCode.SESSION_CORRUPT,
      `The dataset ${root} has no saved state in ${CIVTAG_FOLDER}/.`,
      { details: { path: root } },
    );
  };
}

/** Options of {@link openDataset}. */
export interface OpenDatasetOptions {
  /**
   * Where the dataset's state and journal are kept instead of its `.civtag/` folder: a store
   * several servers share (`PostgresSessionStore` of `@civtag/session-postgres`). Each of them
   * opens the dataset folder with its own store of the same dataset; one at a time (the holder
   * of `store.tryLease()`) writes the caption files and takes in edits of them, and the changes
   * the others make reach this dataset's listeners as `change` events.
   */
  store?: SessionStore;
  /** With a shared `store`: how often a server without the caption lease tries to take it (2 s). */
  leaseRetryMs?: number;
}

/**
 * Opens the dataset in `dir`: loads its state, takes its lock and starts watching for caption
 * edits. It resolves ready to serve; in the background, first among its changes, it puts the
 * files of excluded images where they belong, rewrites captions that lag behind the journal
 * and turns captions edited while it was closed into `external` ops (`dataset.reconciled()`).
 * With a shared `options.store`, the files are left to whichever server holds its lease.
 *
 * @throws CivtagError `NOT_FOUND` when `dir` holds no dataset; `SESSION_LOCKED` when another
 *   process has it open; `SESSION_CORRUPT` when its state cannot be read; `CONFLICT` (naming the
 *   database) for a dataset moved into a database, opened without its store; `IO_ERROR`.
 */
export async function openDataset(dir: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const root = path.resolve(dir);
  if (options.store !== undefined) return open(root, noSavedState(root), options);
  if (!(await pathExists(path.join(root, CIVTAG_FOLDER)))) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `${root} holds no civtag dataset; create one with createDataset.`,
      { details: { path: root } },
    );
  }
  const note = await readStoreNote(root);
  if (note !== undefined) throw livesInStoreError(root, note);
  return open(root, noSavedState(root));
}

async function open(
  root: string,
  initial: () => DatasetState,
  options: OpenDatasetOptions = {},
): Promise<Dataset> {
  await makeFolder(path.join(root, THUMBS_FOLDER));
  await makeFolder(path.join(root, TRASH_FOLDER));
  // While the journal is replayed, remember every caption an image had, so that a caption
  // file still holding one of them is known as civtag's own (a lagging write), not an edit.
  // With a shared store, also while another server writes the captions: the changes replayed
  // from it and this server's own, until this server takes the caption lease.
  // Each hash is kept with the revision of the change that replaced it: once the server that
  // writes the captions says every file shows that revision or a later one, it is dropped.
  const earlier = new Map<string, Map<string, number>>();
  let replaying = true;
  let writtenUpTo = 0;
  const remember = (imageId: string, hash: string, revision: number) => {
    if (!replaying || revision <= writtenUpTo) return;
    let hashes = earlier.get(imageId);
    if (hashes === undefined) {
      hashes = new Map();
      earlier.set(imageId, hashes);
    }
    hashes.set(hash, revision);
  };
  const reduce = createReducer((state, changes) => {
    if (!replaying) return;
    const index = ImageIndex.for(state);
    for (const change of changes) {
      const image = index.byId.get(change.imageId);
      const text = captionText(
        { tags: change.before.tags, extraLines: image?.extraLines },
        captionStyle(state.settings),
      );
      remember(change.imageId, textHash(text), state.revision);
    }
  });
  const reduceAndRemember = (state: DatasetState, entry: DatasetEntry) => {
    const reduction = reduce(state, entry);
    // An image imported just before a crash may lack its caption file: check it first.
    if (replaying && entry.kind === 'import-add' && !earlier.has(entry.record.id)) {
      remember(entry.record.id, '', state.revision + 1);
    }
    return reduction;
  };
  const session = await openSession({
    ...datasetSessionOptions(path.join(root, CIVTAG_FOLDER), {
      initial,
      reduce: reduceAndRemember,
    }),
    ...(options.store === undefined ? {} : { store: options.store }),
    // A remembered op keeps its answer in the snapshot: whole for a few images, counted for more.
    keyMemory: 2_000,
    rememberedResult,
    // Clients that reconnect catch up from the feed; one further behind than ~20,000 changed
    // images reloads (a bulk op alone is more: its clients reload anyway, see the socket).
    resultWeight,
    feedWeightBound: FEED_IMAGES,
  });
  const store = options.store;
  replaying = store !== undefined;
  const dataset = new Dataset(root, session);
  if (store !== undefined) {
    // Other servers may be writing their temporary files here: the caption writer sweeps only
    // those old enough to be left by a dead one (see `Dataset`).
    const shared: SharedFiles = {
      store,
      earlier,
      recording: (on) => {
        replaying = on;
      },
      writtenUpTo: (revision) => {
        if (revision <= writtenUpTo) return;
        writtenUpTo = revision;
        for (const [imageId, hashes] of earlier) {
          for (const [hash, replacedAt] of hashes) if (replacedAt <= revision) hashes.delete(hash);
          if (hashes.size === 0) earlier.delete(imageId);
        }
      },
      ...(options.leaseRetryMs === undefined ? {} : { leaseRetryMs: options.leaseRetryMs }),
    };
    dataset.start(earlier, Promise.resolve(), shared);
    return dataset;
  }
  // What a crash left in the folders is removed beside the dataset's first work, not before it
  // (listing 100k images and their thumbnails took ~0.4 s): files this process writes from now
  // on are spared.
  const mark = temporaryNameMark();
  const swept = sweepDatasetFolders(root, { spareMadeSince: mark });
  dataset.start(earlier, swept);
  return dataset;
}
