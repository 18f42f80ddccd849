import {
  type ChangeOrigin,
  CivtagError,
  ErrorCode,
  type Proposal,
  type Rating,
  type Settings,
  type TagOp,
} from '@civtag/api-models';
import { type ImageTagChange, pendingProposals, type TaggableImage } from '@civtag/tags';
import { applyDatasetOp } from './dataset-op.js';
import { describeOp } from './describe-op.js';
import type { DatasetEntry, ImportAddEntry, OpEntry, ProposalsEntry } from './entry-schema.js';
import { ImageIndex } from './image-index.js';
import { sourceOf } from './image-source.js';
import { queryContextOf } from './near-duplicate-view.js';
import { OverlayMap } from './overlay-map.js';
import {
  type DatasetState,
  HISTORY_LIMIT,
  type HistoryStep,
  type ImageState,
} from './state-schema.js';

/**
 * What an entry did to one image: its tags (and exclusion, rejections) before and after, and,
 * for an image an auto-tagger scored, its pending proposals after the change (they follow its
 * tags and rejections) and, when the entry is the tagger's scoring, its rating.
 */
export interface ImageEntryChange extends ImageTagChange {
  proposals?: Proposal[];
  rating?: Rating;
}

/** What one journal entry did; the session keeps it in its change feed. */
export interface EntryResult {
  origin: ChangeOrigin;
  changes: ImageEntryChange[];
  /** Images that joined the dataset. */
  added?: ImageState[];
  /** The settings after the entry, when it changed them. */
  settings?: Settings;
  /** For an undo or redo: what the step took back or applied again, in words. */
  description?: string;
  /**
   * How many changed or added images were left out of a result remembered for a resend
   * (see {@link rememberedResult}); absent in a whole result.
   */
  omitted?: number;
}

/** How many images a result changed or added. */
export function resultWeight(result: EntryResult): number {
  return result.changes.length + (result.added?.length ?? 0) + (result.omitted ?? 0);
}

/** Up to this many changed images, a remembered answer keeps every one of them. */
const REMEMBERED_IMAGES = 500;

/**
 * What an idempotency key remembers of a result, to answer a resend: all of it for an op on a
 * few images, only its origin, settings and count for a bulk op (its images would otherwise sit
 * in memory and in every snapshot for thousands of ops to come).
 */
export function rememberedResult(result: EntryResult): EntryResult {
  const weight = resultWeight(result);
  if (weight <= REMEMBERED_IMAGES) return result;
  const light: EntryResult = { origin: result.origin, changes: [], omitted: weight };
  if (result.settings !== undefined) light.settings = result.settings;
  if (result.description !== undefined) light.description = result.description;
  return light;
}

/** Called with each entry's changes as it is committed (the open replays the journal through it). */
export type ChangesObserver = (state: DatasetState, changes: readonly ImageTagChange[]) => void;

/**
 * The dataset's reducer for the session: validates and computes without touching the state,
 * and returns the commit that applies the result in place.
 *
 * @throws CivtagError `NOT_FOUND` (an unknown image id), `VALIDATION` (a bad tag),
 *   `CONFLICT` (nothing to undo or redo, an image file already in use).
 */
export function createReducer(observe?: ChangesObserver) {
  return (
    state: DatasetState,
    entry: DatasetEntry,
  ): { result: EntryResult; commit: () => void } => {
    switch (entry.kind) {
      case 'op':
        return reduceOp(state, entry, observe);
      case 'undo':
      case 'redo':
        return reduceHistory(state, entry.kind, observe);
      case 'import-start':
        return {
          result: { origin: 'import', changes: [] },
          commit: () => {
            state.revision += 1;
            const existing = state.imports.find((job) => job.id === entry.job.id);
            if (existing !== undefined) existing.state = 'running';
            else
              state.imports.push({
                ...entry.job,
                state: 'running',
                done: [],
                failures: [],
                duplicates: [],
              });
          },
        };
      case 'import-add':
        return reduceImportAdd(state, entry);
      case 'proposals':
        return reduceProposals(state, entry);
      case 'perceptual-hashes':
        // Nothing a client shows changes (no tags, no `rev`): the change carries no images.
        return {
          result: { origin: 'import', changes: [] },
          commit: () => {
            state.revision += 1;
            const { byId } = ImageIndex.for(state);
            for (const [id, phash] of Object.entries(entry.hashes)) {
              const image = byId.get(id);
              if (image !== undefined) image.phash = phash;
            }
          },
        };
      case 'import-end':
        return {
          result: { origin: 'import', changes: [] },
          commit: () => {
            state.revision += 1;
            const job = state.imports.find((candidate) => candidate.id === entry.jobId);
            if (job === undefined) return;
            job.state = entry.state;
            job.failures = entry.failures;
            job.duplicates = entry.duplicates;
          },
        };
    }
  };
}

function reduceOp(state: DatasetState, entry: OpEntry, observe: ChangesObserver | undefined) {
  const index = ImageIndex.for(state);
  // A query target may ask for near-duplicates: they are worked out from this state, so a
  // replay of the journal picks the same images.
  const { changes, inverse, settings } = applyDatasetOp(index.byId, entry.op, state.settings, {
    restoring: false,
    queryContext: queryContextOf(state),
  });
  const extraLines =
    entry.origin === 'external' && entry.op.type === 'set' ? entry.extraLines : undefined;
  const result: EntryResult = {
    origin: entry.origin,
    changes: withPendingProposals(changes, (id) => index.byId.get(id)),
  };
  if (settings !== undefined) result.settings = structuredClone(settings);
  // A style someone chose (or an import picked) is not picked again by a later import.
  const choosesStyle = entry.op.type === 'settings' && entry.op.changes.tagStyle !== undefined;
  return {
    result,
    commit: () => {
      state.revision += 1;
      commitChanges(state, index, changes, observe);
      if (settings !== undefined) commitSettings(state, index, settings);
      if (choosesStyle) delete state.pickTagStyleOnImport;
      if (entry.op.type === 'set' && entry.origin === 'external') {
        const image = index.byId.get(entry.op.imageId);
        if (image !== undefined) {
          if (extraLines === undefined || extraLines.length === 0) delete image.extraLines;
          else image.extraLines = extraLines;
        }
      }
      if ((changes.length > 0 || settings !== undefined) && entry.origin !== 'import') {
        pushBounded(state.undo, {
          ops: inverse,
          label: describeOp(entry.op, entry.origin, changes.length),
        });
        state.redo.length = 0;
      }
    },
  };
}

function reduceHistory(
  state: DatasetState,
  direction: 'undo' | 'redo',
  observe: ChangesObserver | undefined,
) {
  const from = direction === 'undo' ? state.undo : state.redo;
  const to = direction === 'undo' ? state.redo : state.undo;
  const step = from.at(-1);
  if (step === undefined) {
    throw new CivtagError(ErrorCode.CONFLICT, `There is nothing to ${direction}.`, {
      details: { direction },
    });
  }
  const index = ImageIndex.for(state);
  const view = new OverlayMap(index.byId);
  const combined = new Map<string, ImageTagChange>();
  const inverse: TagOp[][] = [];
  // A step may change the settings (a `settings` op first): the ops after it see the new ones.
  let settings = state.settings;
  let settingsChanged = false;
  for (const op of step.ops) {
    const applied = applyDatasetOp(view, op, settings, { restoring: true });
    if (applied.settings !== undefined) {
      settings = applied.settings;
      settingsChanged = true;
    }
    inverse.unshift(applied.inverse);
    for (const change of applied.changes) {
      const earlier = combined.get(change.imageId);
      combined.set(
        change.imageId,
        earlier === undefined ? change : { ...change, before: earlier.before },
      );
      const current = view.get(change.imageId);
      view.override({
        ...current,
        id: change.imageId,
        tags: change.after.tags,
        excluded: change.after.excluded,
        rejected: change.after.rejected ?? current?.rejected,
      });
    }
  }
  const changes = [...combined.values()];
  const result: EntryResult = {
    origin: direction,
    changes: withPendingProposals(changes, (id) => view.get(id)),
    description: step.label,
  };
  if (settingsChanged) result.settings = structuredClone(settings);
  return {
    result,
    commit: () => {
      state.revision += 1;
      commitChanges(state, index, changes, observe);
      if (settingsChanged) commitSettings(state, index, settings);
      from.pop();
      pushBounded(to, { ops: inverse.flat(), label: step.label });
    },
  };
}

function reduceImportAdd(state: DatasetState, entry: ImportAddEntry) {
  const index = ImageIndex.for(state);
  const { record } = entry;
  if (index.byId.has(record.id)) {
    throw new CivtagError(ErrorCode.CONFLICT, `Image id ${record.id} is already in the dataset.`, {
      details: { imageId: record.id },
    });
  }
  const image: ImageState = { ...record, rev: state.revision + 1, excluded: false, written: '' };
  // Journals written before images kept their source still name it in the entry.
  image.source ??= sourceOf(entry.source);
  const result: EntryResult = {
    origin: 'import',
    changes: [],
    added: [{ ...image, tags: [...image.tags] }],
  };
  return {
    result,
    commit: () => {
      state.revision += 1;
      state.images[image.id] = image;
      index.add(image);
      state.imports.find((job) => job.id === entry.jobId)?.done.push(entry.source);
    },
  };
}

function reduceProposals(state: DatasetState, entry: ProposalsEntry) {
  const index = ImageIndex.for(state);
  const image = index.byId.get(entry.imageId);
  if (image === undefined) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `No image with id "${entry.imageId}" in this dataset; its proposals were not stored.`,
      { details: { imageId: entry.imageId } },
    );
  }
  // The tags stay (the same list before and after, so no caption is written for it); the
  // change tells clients the image's new pending proposals and rating, and moves its `rev`.
  const change: ImageEntryChange = {
    imageId: image.id,
    before: { tags: image.tags as string[], excluded: image.excluded },
    after: { tags: image.tags as string[], excluded: image.excluded },
    proposals: pendingProposals({ ...image, proposals: entry.proposals }),
  };
  if (entry.rating !== undefined) change.rating = { ...entry.rating };
  const result: EntryResult = { origin: 'tagger', changes: [change] };
  return {
    result,
    commit: () => {
      state.revision += 1;
      if (entry.proposals.length === 0) delete image.proposals;
      else image.proposals = entry.proposals;
      if (entry.rating === undefined) delete image.rating;
      else image.rating = entry.rating;
      image.scored = entry.model;
      image.rev = state.revision;
    },
  };
}

/**
 * The changes with the pending proposals of each changed image that an auto-tagger scored, as
 * they are after the change: `image(id)` gives the image with its rejections after the change
 * (its stored proposals are not changed by ops).
 */
function withPendingProposals(
  changes: readonly ImageTagChange[],
  image: (id: string) => TaggableImage | undefined,
): ImageEntryChange[] {
  return changes.map((change) => {
    const current = image(change.imageId);
    if (current?.proposals === undefined) return change;
    const after: TaggableImage = {
      id: change.imageId,
      tags: change.after.tags,
      excluded: change.after.excluded,
      proposals: current.proposals,
    };
    const rejected = change.after.rejected ?? current.rejected;
    if (rejected !== undefined) after.rejected = rejected;
    return { ...change, proposals: pendingProposals(after) };
  });
}

function commitChanges(
  state: DatasetState,
  index: ImageIndex,
  changes: readonly ImageTagChange[],
  observe: ChangesObserver | undefined,
): void {
  observe?.(state, changes);
  for (const change of changes) {
    const image = index.byId.get(change.imageId);
    if (image === undefined) continue;
    // The change's own list: tag lists are replaced, never changed in place.
    image.tags = change.after.tags;
    image.excluded = change.after.excluded;
    if (change.after.rejected !== undefined) {
      if (change.after.rejected.length === 0) delete image.rejected;
      else image.rejected = change.after.rejected;
    }
    image.rev = state.revision;
  }
  if (index.hasStats) index.stats.applyChanges(changes);
}

function commitSettings(state: DatasetState, index: ImageIndex, settings: Settings): void {
  state.settings = structuredClone(settings);
  index.settingsChanged(state.settings);
}

function pushBounded(stack: HistoryStep[], step: HistoryStep): void {
  stack.push(step);
  if (stack.length > HISTORY_LIMIT) stack.splice(0, stack.length - HISTORY_LIMIT);
}
