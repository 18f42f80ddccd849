import path from 'node:path';
import { sweepTempFiles } from '@civtag/core-fs';
import { CAPTION_TEMP_FOLDER, TRASH_FOLDER } from './caption-files.js';
import { THUMBS_FOLDER } from './thumbnail.js';

/**
 * Removes the temporary files a crash left in the dataset folder and civtag's folders in it
 * (see `sweepTempFiles` for the options).
 */
export async function sweepDatasetFolders(
  root: string,
  options: { spareMadeSince?: number; olderThanMs?: number },
): Promise<void> {
  await Promise.all(
    [
      root,
      ...[THUMBS_FOLDER, TRASH_FOLDER, CAPTION_TEMP_FOLDER].map((sub) => path.join(root, sub)),
    ].map((folder) => sweepTempFiles(folder, options)),
  );
}
