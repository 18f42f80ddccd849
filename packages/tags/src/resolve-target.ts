import { CivtagError, ErrorCode, type Target } from '@civtag/api-models';
import { compileQuery, type QueryContext } from './compile-query.js';
import type { TaggableImage } from './taggable-image.js';

/**
 * The images an op's target names, in the order of the map (ids: in the order given,
 * without repeats).
 *
 * `{ all: true }` and `{ query }` pick images whose `excluded` equals `excluded` (false for
 * every op but `restore`); listed ids are taken as they are.
 *
 * @throws CivtagError `NOT_FOUND` for an id that is not in `images` (nothing is applied);
 *   `VALIDATION` for a query with a syntax error, or one `context` cannot answer.
 */
export function resolveTarget(
  images: ReadonlyMap<string, TaggableImage>,
  target: Target,
  excluded = false,
  context: QueryContext = {},
): TaggableImage[] {
  if ('ids' in target) {
    const picked: TaggableImage[] = [];
    const seen = new Set<string>();
    for (const id of target.ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      picked.push(findImage(images, id));
    }
    return picked;
  }
  const matches = 'query' in target ? compileQuery(target.query, context) : () => true;
  const picked: TaggableImage[] = [];
  for (const image of images.values()) {
    if (image.excluded === excluded && matches(image)) picked.push(image);
  }
  return picked;
}

/** The image with `id`, or a `NOT_FOUND` error that names it. */
export function findImage(images: ReadonlyMap<string, TaggableImage>, id: string): TaggableImage {
  const image = images.get(id);
  if (image === undefined) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `No image with id "${id}" in this dataset; nothing was changed. Reload the image list and try again.`,
      { details: { imageId: id } },
    );
  }
  return image;
}
