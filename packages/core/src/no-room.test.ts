import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { isNoRoom, noRoomCode } from './no-room.js';

describe('noRoomCode', () => {
  it('tells a full or read-only disk from any other failure', () => {
    expect(noRoomCode(new CivtagError('DISK_FULL', 'full'))).toBe('DISK_FULL');
    expect(noRoomCode({ path: 'a.png', code: 'NOT_WRITABLE', message: 'read-only' })).toBe(
      'NOT_WRITABLE',
    );
    expect(noRoomCode(new CivtagError('IMAGE_UNREADABLE', 'broken'))).toBeUndefined();
    expect(noRoomCode(undefined)).toBeUndefined();
  });

  it('reads the system code of an IO_ERROR that still carries one', () => {
    const journal = (systemCode: string | null) =>
      new CivtagError('IO_ERROR', 'Appending to the journal failed', { details: { systemCode } });
    expect(noRoomCode(journal('ENOSPC'))).toBe('DISK_FULL');
    expect(noRoomCode(journal('EROFS'))).toBe('NOT_WRITABLE');
    expect(isNoRoom(journal('EIO'))).toBe(false);
    expect(isNoRoom(journal(null))).toBe(false);
  });
});
