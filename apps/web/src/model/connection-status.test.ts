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

  it('says edits the server refused for lack of space wait in the tab and are sent by themselves', () => {
    const held = {
      message:
        'The disk holding /data/sakura/.civtag is full: free some space on it, then try again.',
      retryInMs: 4_000,
    };
    const view = describeStatus('open', 2, { pending: 0, failed: 0 }, held);
    expect(view).toMatchObject({
      tone: 'reconnecting',
      label: 'Server disk full: 2 edits waiting',
    });
    expect(view.description).toContain(held.message);
    expect(view.description).toContain('next try in 4 s');
    // Once the edits went through (nothing pending), it says nothing of the disk.
    expect(describeStatus('open', 0, { pending: 0, failed: 0 }, held).label).toBe('Online');
    // Offline, the connection comes first.
    expect(describeStatus('reconnecting', 2, undefined, held).label).toBe(
      'Reconnecting (2 queued edits)',
    );
  });
});
