import type { AutoTagProgress, CaptionProgress, Change, ImportProgress } from '@civtag/api-models';
import { encodeFrame, PROTOCOL_VERSION } from '@civtag/ws-protocol';
import type { AutoTagRunner } from '../auto-tag-runner.js';
import type { ClientConnection } from './client-connection.js';
import { encodeChange } from './client-connection.js';
import type { HubDataset } from './hub-dataset.js';

/** Progress frames of one job are sent at most this often (the last one always). */
const PROGRESS_INTERVAL_MS = 200;
/** A progress frame lists at most this many failures and duplicates; the job route has all. */
const PROGRESS_LIST_BOUND = 20;

/**
 * Sends the dataset's changes, import, caption and auto-tag progress to every greeted client,
 * each frame encoded once. Returns the function that stops listening.
 */
export function broadcastDatasetEvents(
  dataset: HubDataset,
  connections: ReadonlySet<ClientConnection>,
  autoTag?: Pick<AutoTagRunner, 'on'>,
): () => void {
  const stopChanges = dataset.on('change', (change: Change) => {
    const encoded = encodeChange(change);
    for (const connection of connections) {
      if (connection.greeted) connection.sendChange(change, encoded);
    }
  });

  // Changes of other servers more than the feed holds (a shared store): every client reloads.
  const stopReload = dataset.on('reload', ({ revision }) => {
    for (const connection of connections) {
      if (!connection.greeted || connection.lastRevision >= revision) continue;
      if (connection.send({ v: PROTOCOL_VERSION, type: 'reload', data: { revision } }))
        connection.lastRevision = revision;
    }
  });

  const lastSent = new Map<string, number>();
  const stopProgress = dataset.on('progress', (progress: ImportProgress) => {
    const now = Date.now();
    const finished = progress.state !== 'running';
    if (!finished && now - (lastSent.get(progress.jobId) ?? 0) < PROGRESS_INTERVAL_MS) return;
    if (finished) lastSent.delete(progress.jobId);
    else lastSent.set(progress.jobId, now);
    const frame = {
      v: PROTOCOL_VERSION,
      type: 'progress',
      data: {
        ...progress,
        failures: progress.failures.slice(-PROGRESS_LIST_BOUND),
        duplicates: progress.duplicates.slice(-PROGRESS_LIST_BOUND),
      },
    } as const;
    const encoded = encodeFrame(frame);
    for (const connection of connections) {
      if (connection.greeted) connection.send(frame, encoded);
    }
  });

  // Auto-tag progress like import progress: at most every interval, and always the end.
  let taggingSentAt = 0;
  const stopTagging = autoTag?.on((progress: AutoTagProgress) => {
    const now = Date.now();
    if (progress.state === 'running' && now - taggingSentAt < PROGRESS_INTERVAL_MS) return;
    taggingSentAt = progress.state === 'running' ? now : 0;
    const frame = {
      v: PROTOCOL_VERSION,
      type: 'tagging',
      data: { ...progress, failed: progress.failed.slice(-PROGRESS_LIST_BOUND) },
    } as const;
    const encoded = encodeFrame(frame);
    for (const connection of connections) {
      if (connection.greeted) connection.send(frame, encoded);
    }
  });

  // Caption progress as it moves, at most every interval; the end (0 pending) and a change
  // in failures always, the latest count after a quiet interval otherwise.
  let lastCaptions: CaptionProgress | undefined;
  let captionsSentAt = 0;
  let captionsTimer: NodeJS.Timeout | undefined;
  const sendCaptions = (): void => {
    captionsTimer = undefined;
    if (lastCaptions === undefined) return;
    captionsSentAt = Date.now();
    const frame = { v: PROTOCOL_VERSION, type: 'captions', data: lastCaptions } as const;
    const encoded = encodeFrame(frame);
    for (const connection of connections) {
      if (connection.greeted) connection.send(frame, encoded);
    }
  };
  const stopCaptions = dataset.on('captions', (progress: CaptionProgress) => {
    const failuresMoved = progress.failed !== (lastCaptions?.failed ?? 0);
    lastCaptions = progress;
    const wait = PROGRESS_INTERVAL_MS - (Date.now() - captionsSentAt);
    if (progress.pending === 0 || failuresMoved || wait <= 0) {
      if (captionsTimer !== undefined) clearTimeout(captionsTimer);
      sendCaptions();
    } else if (captionsTimer === undefined) {
      captionsTimer = setTimeout(sendCaptions, wait);
      captionsTimer.unref();
    }
  });

  return () => {
    stopChanges();
    stopReload();
    stopProgress();
    stopCaptions();
    stopTagging?.();
    if (captionsTimer !== undefined) clearTimeout(captionsTimer);
  };
}
