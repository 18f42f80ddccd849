import { formatCount } from './format-count.js';

/** The states of the live connection, as `@civtag/ws-client` reports them. */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What the status indicator shows. */
export interface StatusView {
  tone: 'online' | 'reconnecting' | 'offline';
  label: string;
  /** The longer sentence for the tooltip and screen readers. */
  description: string;
}

/**
 * The status indicator for a connection state and the number of edits not yet acknowledged.
 * Queued edits are sent once the connection is back, so the label says how many wait.
 */
export function describeStatus(status: LiveStatus, pending: number): StatusView {
  const queued = pending > 0 ? ` (${formatCount(pending, 'queued edit')})` : '';
  if (status === 'open') {
    return pending > 0
      ? {
          tone: 'online',
          label: `Saving ${pending}…`,
          description: `Online; ${formatCount(pending, 'edit')} waiting for the server`,
        }
      : { tone: 'online', label: 'Online', description: 'Online: every edit is saved' };
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
