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
});
