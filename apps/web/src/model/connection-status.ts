import type { CaptionProgress } from '@civtag/api-models';
import { formatCount } from './format-count.js';

/** The states of the live connection, as `@civtag/ws-client` reports them. */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * Edits the server refused for now because its disk is full: they stay queued here and are sent
 * again by themselves. `null` when nothing is held.
 */
export interface HeldEdits {
  /** The server's message: which folder is full, and what to do. */
  message: string;
  /** The wait before the next try, in ms. */
  retryInMs: number;
}

/** What the status indicator shows. */
export interface StatusView {
  tone: 'online' | 'reconnecting' | 'offline';
  label: string;
  /** The longer sentence for the tooltip and screen readers. */
  description: string;
}

/**
 * The status indicator for a connection state and the number of edits not yet acknowledged.
 * Queued edits are sent once the connection is back, so the label says how many wait. Once
 * every edit is saved, caption files the server still writes behind them are shown too.
 */
export function describeStatus(
  status: LiveStatus,
  pending: number,
  captions: CaptionProgress = { pending: 0, failed: 0 },
  held: HeldEdits | null = null,
): StatusView {
  const queued = pending > 0 ? ` (${formatCount(pending, 'queued edit')})` : '';
  if (status === 'open' && held !== null && pending > 0) {
    const seconds = Math.max(1, Math.round(held.retryInMs / 1000));
    return {
      tone: 'reconnecting',
      label: `Server disk full: ${formatCount(pending, 'edit')} waiting`,
      description: `${held.message} Nothing is lost: ${formatCount(pending, 'edit')} ${pending === 1 ? 'is' : 'are'} kept in this tab and sent by ${pending === 1 ? 'itself' : 'themselves'} once the server has space (next try in ${seconds} s). Keep this tab open.`,
    };
  }
  if (status === 'open') {
    return pending > 0
      ? {
          tone: 'online',
          label: `Saving ${pending}…`,
          description: `Online; ${formatCount(pending, 'edit')} waiting for the server`,
        }
      : describeCaptions(captions);
  }
  if (status === 'closed') {
    return {
      tone: 'offline',
      label: `Offline${queued}`,
      description: 'Offline: the connection is closed. Reload the page to reconnect.',
    };
  }
  return {
    tone: 'reconnecting',
    label: `Reconnecting${queued}`,
    description: `Reconnecting to the server; edits made meanwhile are kept and sent once${queued}`,
  };
}

function describeCaptions(captions: CaptionProgress): StatusView {
  if (captions.failed > 0) {
    const reason = captions.error === undefined ? '' : ` (${captions.error.message})`;
    return {
      tone: 'reconnecting',
      label: `${formatCount(captions.failed, 'caption')} not written`,
      description: `Online: every edit is saved, but the server could not write ${formatCount(captions.failed, 'caption file')}${reason}; it tries again by itself.`,
    };
  }
  if (captions.pending > 0) {
    return {
      tone: 'online',
      label: 'Writing captions…',
      description: `Online: every edit is saved; the server is writing ${formatCount(captions.pending, 'caption file')}.`,
    };
  }
  return { tone: 'online', label: 'Online', description: 'Online: every edit is saved' };
}
