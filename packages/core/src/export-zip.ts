import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import yazl from 'yazl';
import { type CaptionStyle, captionText } from './caption-text.js';
import { captionFileName } from './naming.js';

/** An image as an export sees it: frozen when the export starts. */
export interface ExportImage {
  file: string;
  tags: string[];
  extraLines?: string[] | undefined;
}

/**
 * A zip of the images with their captions side by side at its root (`sakura_0001.png`,
 * `sakura_0001.txt`), Civitai's layout. Images are stored as they are (already compressed)
 * and streamed from disk one after another; captions are deflated. An image without tags
 * gets no caption file. A file that cannot be read ends the stream with an `IO_ERROR`.
 */
export function exportZip(
  dir: string,
  images: readonly ExportImage[],
  captions: CaptionStyle,
): Readable {
  const zip = new yazl.ZipFile();
  const output = new PassThrough();
  zip.on('error', (error: unknown) => {
    output.destroy(
      new CivtagError(
        ErrorCode.IO_ERROR,
        `The zip export of ${dir} stopped: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      ),
    );
  });
  for (const image of images) {
    zip.addFile(path.join(dir, image.file), image.file, { compress: false });
    const text = captionText(image, captions);
    if (text !== '') zip.addBuffer(Buffer.from(text, 'utf8'), captionFileName(image.file));
  }
  zip.end();
  zip.outputStream.on('error', (error: Error) => output.destroy(error));
  zip.outputStream.pipe(output);
  return output;
}
