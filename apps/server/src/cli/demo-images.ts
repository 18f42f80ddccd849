import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/** One generated sample: what it shows, its size, and the caption it starts with (if any). */
interface DemoImage {
  name: string;
  shape: 'circle' | 'square' | 'triangle' | 'star' | 'stripes' | 'rings';
  colors: [string, string];
  width: number;
  height: number;
  caption?: string[];
}

const SHAPES: DemoImage['shape'][] = ['circle', 'square', 'triangle', 'star', 'stripes', 'rings'];
const PALETTES: [string, string, string][] = [
  ['red', '#e63946', '#f1faee'],
  ['blue', '#1d3557', '#a8dadc'],
  ['green', '#2a9d8f', '#e9c46a'],
  ['orange', '#f4a261', '#264653'],
];
const SIZES: [number, number][] = [
  [512, 512],
  [768, 512],
  [512, 768],
  [640, 480],
  [1024, 576],
  [384, 384],
];

/** The 24 samples: every shape in every colour at varied sizes, plus captions on a third. */
function demoImages(): DemoImage[] {
  const images: DemoImage[] = [];
  for (const [colorIndex, [colorName, foreground, background]] of PALETTES.entries()) {
    for (const [shapeIndex, shape] of SHAPES.entries()) {
      const index = images.length;
      const [width, height] = SIZES[(colorIndex + shapeIndex) % SIZES.length]!;
      const image: DemoImage = {
        name: `${colorName}-${shape}`,
        shape,
        colors: [foreground, background],
        width,
        height,
      };
      if (index % 3 === 0)
        image.caption = [`${colorName} ${shape}`, 'simple background', 'geometric'];
      images.push(image);
    }
  }
  // One tiny image, so `civtag check` has something to report.
  images[images.length - 1] = {
    ...images[images.length - 1]!,
    name: 'orange-rings-tiny',
    width: 48,
    height: 48,
  };
  return images;
}

function shapeMarkup(image: DemoImage): string {
  const { width: w, height: h } = image;
  const [foreground] = image.colors;
  const cx = w / 2;
  const cy = h / 2;
  const r = Math.min(w, h) * 0.3;
  switch (image.shape) {
    case 'circle':
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${foreground}"/>`;
    case 'square':
      return `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" fill="${foreground}" transform="rotate(15 ${cx} ${cy})"/>`;
    case 'triangle':
      return `<polygon points="${cx},${cy - r} ${cx + r},${cy + r} ${cx - r},${cy + r}" fill="${foreground}"/>`;
    case 'star': {
      const points = Array.from({ length: 10 }, (_, i) => {
        const radius = i % 2 === 0 ? r : r * 0.45;
        const angle = (Math.PI / 5) * i - Math.PI / 2;
        return `${cx + radius * Math.cos(angle)},${cy + radius * Math.sin(angle)}`;
      });
      return `<polygon points="${points.join(' ')}" fill="${foreground}"/>`;
    }
    case 'stripes':
      return Array.from(
        { length: 6 },
        (_, i) =>
          `<rect x="${(w / 6) * i}" y="0" width="${w / 12}" height="${h}" fill="${foreground}"/>`,
      ).join('');
    case 'rings':
      return [1, 0.7, 0.4]
        .map(
          (scale) =>
            `<circle cx="${cx}" cy="${cy}" r="${r * scale}" fill="none" stroke="${foreground}" stroke-width="${Math.max(2, r * 0.12)}"/>`,
        )
        .join('');
  }
}

function svgOf(image: DemoImage): string {
  const { width: w, height: h } = image;
  const [foreground, background] = image.colors;
  const label =
    image.width >= 128
      ? `<text x="${w / 2}" y="${h - 24}" font-family="sans-serif" font-size="${Math.round(h / 16)}" text-anchor="middle" fill="${foreground}" stroke="#ffffff" stroke-width="${Math.max(3, Math.round(h / 100))}" paint-order="stroke">${image.name}</text>`
      : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${background}"/><stop offset="1" stop-color="#ffffff"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapeMarkup(image)}${label}</svg>`;
}

/**
 * Writes the demo's sample images (PNG and JPEG) and a few caption files into `folder`.
 * Returns how many images it wrote.
 */
export async function writeDemoImages(folder: string): Promise<number> {
  await mkdir(folder, { recursive: true });
  const images = demoImages();
  for (const [index, image] of images.entries()) {
    const pipeline = sharp(Buffer.from(svgOf(image)));
    const extension = index % 2 === 0 ? 'png' : 'jpg';
    const file = path.join(folder, `${image.name}.${extension}`);
    await (extension === 'png' ? pipeline.png() : pipeline.jpeg({ quality: 85 })).toFile(file);
    if (image.caption !== undefined) {
      await writeFile(path.join(folder, `${image.name}.txt`), `${image.caption.join(', ')}\n`);
    }
  }
  return images.length;
}
