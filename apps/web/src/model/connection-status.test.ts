import { describe, expect, it } from 'vitest';
import { describeStatus } from './connection-status.js';

describe('status indicator', () => {
  it('shows online, reconnecting with the queued edits, and offline', () => {
    expect(describeStatus('open', 0)).toMatchObject({ tone: 'online', label: 'Online' });
    expect(describeStatus('reconnecting', 3)).toMatchObject({
      tone: 'reconnecting',
      label: 'Reconnecting (3 queued edits)',
    });
    expect(describeStatus('connecting', 1).label).toBe('Reconnecting (1 queued edit)');
    expect(describeStatus('closed', 0)).toMatchObject({ tone: 'offline', label: 'Offline' });
  });

  it('shows caption files still being written once every edit is saved, and those that failed', () => {
    expect(describeStatus('open', 0, { pending: 12_000, failed: 0 })).toMatchObject({
      tone: 'online',
      label: 'Writing captions…',
      description: 'Online: every edit is saved; the server is writing 12,000 caption files.',
    });
    // Edits waiting for the server come first: they are not saved yet.
    expect(describeStatus('open', 2, { pending: 5, failed: 0 }).label).toBe('Saving 2…');
    const failed = describeStatus('open', 0, {
      pending: 3,
      failed: 3,
      error: { code: 'IO_ERROR', message: 'no space left on the device' },
    });
    expect(failed).toMatchObject({ tone: 'reconnecting', label: '3 captions not written' });
    expect(failed.description).toContain('no space left on the device');
    expect(describeStatus('open', 0, { pending: 0, failed: 0 }).label).toBe('Online');
  });
});
