import type {
  AutoTagProgress,
  CaptionProgress,
  Change,
  ImportProgress,
  TagOp,
} from '@civtag/api-models';
import { type CivtagClient, createClient } from '@civtag/ws-client';
import type { HeldEdits, LiveStatus } from '../model/connection-status.js';

/** The events the app listens to on the live connection. */
export interface LiveEvents {
  change: (change: Change) => void;
  progress: (progress: ImportProgress) => void;
  /** Caption files the server still writes behind acknowledged edits. */
  captions: (captions: CaptionProgress) => void;
  /** How far the server's tagging job is (any tab's job), at most every 200 ms and at its end. */
  tagging: (progress: AutoTagProgress) => void;
  /** The server's change feed no longer reaches back to what this page saw: reload all. */
  reload: () => void;
  /** The connection state and the number of edits not yet acknowledged. */
  status: (status: LiveStatus, pending: number) => void;
  /** Edits the server refused for now (its disk is full) and this tab keeps sending; `null` once through. */
  held: (held: HeldEdits | null) => void;
}

/** The app's view of `@civtag/ws-client`: the one place that knows the client's API. */
export interface LiveConnection {
  /** Sends an op; queued while offline and delivered once. Settles on the server's ack/reject. */
  send(op: TagOp): Promise<{ revision: number }>;
  readonly status: LiveStatus;
  /** Edits sent but not yet acknowledged (queued while offline). */
  readonly pending: number;
  on<E extends keyof LiveEvents>(event: E, listener: LiveEvents[E]): () => void;
  close(): void;
}

function socketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/ws`;
}

/** One client id per tab, kept across reloads of the tab. */
function tabClientId(): string {
  const stored = window.sessionStorage.getItem('civtag.clientId');
  if (stored !== null) return stored;
  const id = `web-${crypto.randomUUID()}`;
  window.sessionStorage.setItem('civtag.clientId', id);
  return id;
}

/**
 * Opens the live connection to `/ws` with `@civtag/ws-client`: it reconnects with backoff,
 * queues edits while offline and resends them with the same op id, so each applies once.
 * The socket authenticates with the page's own cookie (same origin).
 */
export function openLiveConnection(options: { since?: number } = {}): LiveConnection {
  const client: CivtagClient = createClient({
    url: socketUrl,
    clientId: tabClientId(),
    ...(options.since === undefined ? {} : { since: options.since }),
  });
  const statusListeners = new Set<LiveEvents['status']>();
  const emitStatus = () => {
    for (const listener of statusListeners) listener(client.status, client.pending);
  };
  client.on('status', emitStatus);
  return {
    get status() {
      return client.status;
    },
    get pending() {
      return client.pending;
    },
    async send(op) {
      const sent = client.send(op);
      emitStatus();
      try {
        return await sent;
      } finally {
        emitStatus();
      }
    },
    on(event, listener) {
      switch (event) {
        case 'status':
          statusListeners.add(listener as LiveEvents['status']);
          return () => statusListeners.delete(listener as LiveEvents['status']);
        case 'change':
          return client.on('change', listener as LiveEvents['change']);
        case 'progress':
          return client.on('progress', listener as LiveEvents['progress']);
        case 'captions':
          return client.on('captions', listener as LiveEvents['captions']);
        case 'tagging':
          return client.on('tagging', listener as LiveEvents['tagging']);
        case 'held': {
          const onHeld = listener as LiveEvents['held'];
          return client.on('held', (event) =>
            onHeld(
              event.held ? { message: event.error.message, retryInMs: event.retryInMs } : null,
            ),
          );
        }
        default:
          return client.on('reload', listener as LiveEvents['reload']);
      }
    },
    close() {
      client.close();
    },
  };
}
