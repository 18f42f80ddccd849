import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readGenerationMetadata } from '../src/read-generation-metadata.js';
import { copyCorpusFolder, makeTemporaryFolder, removeTemporaryFolder } from './corpus.js';

let folder: string;
let corpus: string;
beforeAll(async () => {
  folder = await makeTemporaryFolder();
  corpus = await copyCorpusFolder('generation-metadata', folder);
});
afterAll(() => removeTemporaryFolder(folder));

const expected: [file: string, tool: string, prompt: RegExp, negative: RegExp | undefined][] = [
  ['AUTOMATIC1111/automatic1111_cropped.png', 'a1111', /^photo of a duck$/, /^monochrome$/],
  ['AUTOMATIC1111/automatic1111_cropped.jpg', 'a1111', /^photo of a duck$/, /^monochrome$/],
  ['AUTOMATIC1111/automatic1111_stealth.png', 'a1111', /^a circle$/, /^a square$/],
  [
    'ComfyUI/img2img_cropped.png',
    'comfyui',
    /^photograph of victorian woman with wings, sky clouds, meadow grass$/,
    /^watermark, text$/,
  ],
  [
    'ComfyUI/night_evening_day_morning_cropped.png',
    'comfyui',
    /\(night:1\.3\).*\(evening:1\.2\).*morning sky/,
    /^\(hands\), text/,
  ],
  ['ComfyUI/noisy_latents_3_subjects_cropped.png', 'comfyui', /fennec ears/, /^\(hands\), text/],
  [
    'ComfyUI/unclip_2pass_cropped.png',
    'comfyui',
    /^\(waifu, anime.*beautiful scenery landscape/,
    /^lowres, \(bad anatomy\)/,
  ],
  ['Fooocus/fooocus1_cropped.png', 'fooocus', /^a smiling goldfish$/, undefined],
  [
    'InvokeAI/invokeai_dream1.png',
    'invokeai',
    /^professional full body photo.*low contrast$/,
    /^rendering, glowing eyes, skinny$/,
  ],
  [
    'InvokeAI/invokeai_imeta1.png',
    'invokeai',
    /^digital artwork, oil painting/,
    /^grainy\+, photo/,
  ],
  [
    'InvokeAI/invokeai_sdmeta1.png',
    'invokeai',
    /^professional full body photo.*low contrast$/,
    /^rendering, glowing eyes, skinny$/,
  ],
  [
    'NovelAI/novelai1_cropped.png',
    'novelai',
    /^masterpiece, best quality, {2}cat, space, icon$/,
    /^lowres, bad anatomy/,
  ],
  ['bad_images/text_after_idat.png', 'a1111', /^photo of a duck$/, /^monochrome$/],
];

it.each(expected)('reads the prompt of %s', async (file, tool, prompt, negative) => {
  const metadata = await readGenerationMetadata(path.join(corpus, file));
  expect(metadata?.tool).toBe(tool);
  expect(metadata?.prompt).toMatch(prompt);
  if (negative === undefined) expect(metadata?.negativePrompt).toBeUndefined();
  else expect(metadata?.negativePrompt).toMatch(negative);
});

it.each([
  'bad_images/empty_file.png',
  'bad_images/empty_image.png',
  'bad_images/empty_image.jpg',
  'missing.png',
])('gives null, without throwing, for %s', async (file) => {
  expect(await readGenerationMetadata(path.join(corpus, file))).toBeNull();
});

it('covers every file of the generation-metadata corpus', async () => {
  const listed = new Set([
    ...expected.map(([file]) => file),
    'bad_images/empty_file.png',
    'bad_images/empty_image.png',
    'bad_images/empty_image.jpg',
  ]);
  const present: string[] = [];
  for (const entry of await readdir(corpus, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of await readdir(path.join(corpus, entry.name)))
      present.push(`${entry.name}/${name}`);
  }
  expect(present.filter((file) => !listed.has(file))).toEqual([]);
});
