// Small but real images for large generated datasets: 48–128 px, PNG, JPEG and WebP, each with
// its own content (a colour field between four corners, soft bands and a little grain, all drawn
// from the image's index), so that hashes, probes and thumbnails do real work on every file.
// PNG is encoded here with zlib; JPEG and WebP with sharp.
import sharp from 'sharp';
import { seededRandom } from './seeded-random.mjs';
import { encodePng } from './tiny-png.mjs';

/** Width × height: square, landscape and portrait, 48 to 128 px. */
const SIZES = [
  [64, 64],
  [96, 64],
  [64, 96],
  [128, 128],
  [128, 96],
  [96, 128],
  [48, 48],
  [112, 80],
];
/** One in three of each format; with 8 sizes every size meets every format. */
const FORMATS = ['png', 'jpg', 'webp'];

/** The extension, width and height of the index-th image. */
export function describeSmallImage(index) {
  const [width, height] = SIZES[index % SIZES.length];
  return { extension: FORMATS[index % FORMATS.length], width, height };
}

function renderPixels(index, width, height) {
  const random = seededRandom(index + 104_729);
  const corners = Array.from({ length: 12 }, () => random() * 255);
  const bandX = 0.05 + random() * 0.3;
  const bandY = 0.05 + random() * 0.3;
  const phase = random() * Math.PI * 2;
  // Clamped: a band over a bright corner saturates instead of wrapping round to dark.
  const rgb = new Uint8ClampedArray(width * height * 3);
  // sin(a + b) = sin a · cos b + cos a · sin b: one sine and cosine per column and per row.
  const columnSine = Array.from({ length: width }, (_, x) => Math.sin(x * bandX));
  const columnCosine = Array.from({ length: width }, (_, x) => Math.cos(x * bandX));
  let offset = 0;
  for (let y = 0; y < height; y++) {
    const down = y / (height - 1);
    const rowSine = 24 * Math.sin(y * bandY + phase);
    const rowCosine = 24 * Math.cos(y * bandY + phase);
    for (let x = 0; x < width; x++) {
      const across = x / (width - 1);
      const band = columnSine[x] * rowCosine + columnCosine[x] * rowSine;
      for (let channel = 0; channel < 3; channel++) {
        const top = corners[channel] * (1 - across) + corners[3 + channel] * across;
        const bottom = corners[6 + channel] * (1 - across) + corners[9 + channel] * across;
        const grain = (random() - 0.5) * 4;
        rgb[offset++] = top * (1 - down) + bottom * down + band + grain;
      }
    }
  }
  // The index in the first pixel as well, so that two images differ even where their colour
  // fields come out alike.
  rgb[0] = index & 255;
  rgb[1] = (index >>> 8) & 255;
  rgb[2] = (index >>> 16) & 255;
  return Buffer.from(rgb.buffer);
}

/** The index-th image: `{ extension, width, height, bytes }`. */
export async function renderSmallImage(index) {
  const description = describeSmallImage(index);
  const { extension, width, height } = description;
  const rgb = renderPixels(index, width, height);
  if (extension === 'png')
    return { ...description, bytes: encodePng(rgb, width, height, { subFilter: true }) };
  const image = sharp(rgb, { raw: { width, height, channels: 3 } });
  const bytes = await (extension === 'jpg'
    ? image.jpeg({ quality: 88 })
    : image.webp({ quality: 82 })
  ).toBuffer();
  return { ...description, bytes };
}
