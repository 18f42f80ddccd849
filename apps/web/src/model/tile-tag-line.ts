/** How many tags a tile's line names at most: more would not fit its width anyway. */
const TAGS_ON_A_TILE = 8;

/**
 * The first tags of an image as its tile shows them, in caption order, leaving out the trigger
 * word (every caption of the dataset starts with it, so it tells the tiles apart by nothing).
 */
export function tileTagLine(tags: readonly string[], triggerWord: string | undefined): string {
  const shown = tags[0] === triggerWord ? tags.slice(1) : tags;
  return shown.slice(0, TAGS_ON_A_TILE).join(', ');
}
