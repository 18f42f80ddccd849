/** A colour as 0–255 channels. */
export interface Colour {
  r: number;
  g: number;
  b: number;
  /** 0–1; default 1 (opaque). */
  alpha?: number;
}

/** Colours the test tagger knows (see `TEST_TAGGER_TAGS`). */
export const TEST_COLOURS = {
  red: { r: 255, g: 0, b: 0 },
  green: { r: 0, g: 255, b: 0 },
  blue: { r: 0, g: 0, b: 255 },
  white: { r: 255, g: 255, b: 255 },
  black: { r: 0, g: 0, b: 0 },
  yellow: { r: 255, g: 255, b: 0 },
  magenta: { r: 255, g: 0, b: 255 },
} as const satisfies Record<string, Colour>;

/**
 * The bytes of an image file of one colour, made with sharp: what a test writes into a dataset
 * to be tagged `red` or `blue` by the test tagger.
 */
export async function makeColourImage(
  colour: Colour,
  options: { width?: number; height?: number; format?: 'png' | 'jpeg' | 'webp' } = {},
): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  const image = sharp({
    create: {
      width: options.width ?? 64,
      height: options.height ?? 64,
      channels: 4,
      background: { ...colour, alpha: colour.alpha ?? 1 },
    },
  });
  const format = options.format ?? 'png';
  if (format === 'jpeg') return image.jpeg({ quality: 95 }).toBuffer();
  if (format === 'webp') return image.webp({ lossless: true }).toBuffer();
  return image.png().toBuffer();
}
