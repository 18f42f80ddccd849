import path from 'node:path';
import { sweepTempFiles } from '@civtag/core-fs';
import { CAPTION_TEMP_FOLDER, TRASH_FOLDER } from './caption-files.js';
import { THUMBS_FOLDER } from './thumbnail.js';

/**
 * Removes the temporary files a crash left in the dataset folder and civtag's folders in it
 * (see `sweepTempFiles` for the options). Never rejects: what cannot be removed is said in a
 * process warning, and the next sweep tries again.
 */
export async function sweepDatasetFolders(
  root: string,
  options: { spareMadeSince?: number; olderThanMs?: number },
): Promise<void> {
  try {
    await Promise.all(
      [
        root,
        ...[THUMBS_FOLDER, TRASH_FOLDER, CAPTION_TEMP_FOLDER].map((sub) => path.join(root, sub)),
      ].map((folder) => sweepTempFiles(folder, options)),
    );
  } catch (error) {
    process.emitWarning(
      `civtag could not remove the temporary files left in ${root}: ${error instanceof Error ? error.message : String(error)}`,
      { code: 'CIVTAG_SWEEP' },
    );
  }
}
