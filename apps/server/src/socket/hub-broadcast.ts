import type { Change, ImportProgress } from '@civtag/api-models';
import { encodeFrame, PROTOCOL_VERSION } from '@civtag/ws-protocol';
import type { ClientConnection } from './client-connection.js';
import { encodeChange } from './client-connection.js';
import type { HubDataset } from './hub-dataset.js';

/** Progress frames of one job are sent at most this often (the last one always). */
const PROGRESS_INTERVAL_MS = 200;
/** A progress frame lists at most this many failures and duplicates; the job route has all. */
const PROGRESS_LIST_BOUND = 20;

/**
 * Sends the dataset's changes and import progress to every greeted client, each frame encoded
 * once. Returns the function that stops listening.
 */
export function broadcastDatasetEvents(
  dataset: HubDataset,
  connections: ReadonlySet<ClientConnection>,
): () => void {
  const stopChanges = dataset.on('change', (change: Change) => {
    const encoded = encodeChange(change);
    for (const connection of connections) {
      if (connection.greeted) connection.sendChange(change, encoded);
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

  return () => {
    stopChanges();
    stopProgress();
  };
}
