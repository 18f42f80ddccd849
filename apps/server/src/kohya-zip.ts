import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { CaptionOptions } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import { ZipFile } from 'yazl';

/**
 * The kohya layout (`<repeats>_<trigger>/` with image + caption pairs) as a streamed zip, for
 * a download: the dataset writes the folder into a temporary directory, which is zipped file by
 * file (never held in memory) and removed once the stream ends or fails. `repeats` defaults to
 * the dataset's (10); `tagStyle` overrides its caption options for this export only.
 */
export async function kohyaZipStream(
  dataset: Dataset,
  options: { repeats?: number | undefined; tagStyle?: Partial<CaptionOptions> } = {},
): Promise<Readable> {
  const { repeats, tagStyle = {} } = options;
  const outDir = await mkdtemp(path.join(tmpdir(), 'civtag-kohya-'));
  const cleanUp = () => rm(outDir, { recursive: true, force: true }).catch(() => {});
  try {
    await dataset.export(
      repeats === undefined ? { format: 'kohya', outDir } : { format: 'kohya', outDir, repeats },
      tagStyle,
    );
    const zip = new ZipFile();
    for (const folder of await readdir(outDir)) {
      for (const file of (await readdir(path.join(outDir, folder))).sort()) {
        zip.addFile(path.join(outDir, folder, file), `${folder}/${file}`, {
          compress: !/\.(jpe?g|png|webp|gif|avif)$/i.test(file),
        });
      }
    }
    zip.end();
    const output = new PassThrough();
    zip.outputStream.pipe(output);
    zip.outputStream.on('error', (error) => output.destroy(error));
    output.on('close', () => void cleanUp());
    return output;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
