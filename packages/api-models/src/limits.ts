/** Limits that every part of civtag agrees on. The server may lower them, never raise them. */
export const Limits = {
  /** Longest tag, in UTF-16 code units after normalisation. */
  tagLength: 256,
  /** Most tags on one image. */
  tagsPerImage: 1000,
  /** Most ids in one op's target. */
  idsPerTarget: 200_000,
  /** Most renames in one `rename-tags` op (a pattern replaced over a dataset's distinct tags). */
  renamesPerOp: 10_000,
  /** Longest filter query, in characters. */
  queryLength: 4096,
  /** Longest client id or op id. */
  idLength: 128,
  /** Largest WebSocket frame, in bytes. */
  frameBytes: 1024 * 1024,
  /** Largest HTTP body, in bytes. */
  bodyBytes: 8 * 1024 * 1024,
  /** Most images Civitai's trainer takes in one dataset. */
  civitaiMaxImages: 1000,
  /** Most kohya repeats (the number in front of a `<repeats>_<trigger>` folder). */
  kohyaRepeats: 99_999,
  /** Smallest side, in pixels, below which an image is flagged as too small to train on. */
  minImageSide: 64,
} as const;
