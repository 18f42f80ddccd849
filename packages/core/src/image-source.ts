import type { ImageSource } from '@civtag/api-models';

/**
 * What an image record keeps of where it came from: its path inside the import folder
 * (`/`-separated, as the scan gives it) and the file's name.
 */
export function sourceOf(relativePath: string): ImageSource {
  return { name: relativePath.slice(relativePath.lastIndexOf('/') + 1), path: relativePath };
}
