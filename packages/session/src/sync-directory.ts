import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { systemErrorCode } from './session-error.js';

/** Codes with which platforms say "a folder cannot be flushed here" (Windows, some shares). */
const UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EPERM', 'EACCES']);

/**
 * Makes the names in `directory` durable: a file created or renamed there survives a power cut
 * only once its folder is flushed. A platform that cannot flush folders is not an error.
 */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(directory, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  } catch (error) {
    if (UNSUPPORTED.has(systemErrorCode(error) ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!UNSUPPORTED.has(systemErrorCode(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
