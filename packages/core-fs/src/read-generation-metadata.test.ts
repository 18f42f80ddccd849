import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import {
  compressedTextChunk,
  internationalTextChunk,
  pngChunk,
  pngWith,
  textChunk,
} from '../test/png-builder.js';
import { readGenerationMetadata } from './read-generation-metadata.js';

let folder: string;
beforeEach(async () => {
  folder = await makeTemporaryFolder();
});
afterEach(() => removeTemporaryFolder(folder));

/** What the file holds, read from its path; its bytes handed over directly must give the same. */
async function metadataOf(bytes: Uint8Array) {
  const file = path.join(folder, 'image.bin');
  await writeFile(file, bytes);
  const fromPath = await readGenerationMetadata(file);
  expect(await readGenerationMetadata(bytes)).toEqual(fromPath);
  return fromPath;
}

/** A TIFF-structured EXIF block (big- or little-endian) whose Exif IFD holds one UserComment. */
function exifWithUserComment(comment: Buffer, little: boolean): Buffer {
  const exif = Buffer.alloc(26 + 18 + comment.length);
  const putUint16 = (value: number, at: number) =>
    little ? exif.writeUInt16LE(value, at) : exif.writeUInt16BE(value, at);
  const putUint32 = (value: number, at: number) =>
    little ? exif.writeUInt32LE(value, at) : exif.writeUInt32BE(value, at);
  exif.write(little ? 'II' : 'MM', 0, 'latin1');
  putUint16(42, 2);
  putUint32(8, 4);
  putUint16(1, 8); // IFD0: one entry, the Exif IFD pointer
  putUint16(0x8769, 10);
  putUint16(4, 12);
  putUint32(1, 14);
  putUint32(26, 18);
  putUint16(1, 26); // Exif IFD: one entry, UserComment
  putUint16(0x9286, 28);
  putUint16(7, 30);
  putUint32(comment.length, 32);
  putUint32(44, 36);
  comment.copy(exif, 44);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif]);
}

function jpegWithExif(exif: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(exif.length + 2);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe1]),
    length,
    exif,
    Buffer.from([0xff, 0xd9]),
  ]);
}

const parameters =
  'masterpiece, 1girl,\nsmiling\nNegative prompt: lowres\nSteps: 20, Sampler: Euler a, Seed: 1';

describe('readGenerationMetadata', () => {
  it('reads A1111 parameters from tEXt, zTXt and iTXt (compressed or not, UTF-8)', async () => {
    for (const chunk of [
      textChunk('parameters', parameters),
      compressedTextChunk('parameters', parameters),
      internationalTextChunk('parameters', parameters, true),
      internationalTextChunk('parameters', parameters, false),
    ]) {
      expect(await metadataOf(await pngWith(chunk))).toEqual({
        tool: 'a1111',
        prompt: 'masterpiece, 1girl,\nsmiling',
        negativePrompt: 'lowres',
      });
    }
    const utf8 = internationalTextChunk('parameters', '桜, 猫耳\nSteps: 20', false);
    expect(await metadataOf(await pngWith(utf8))).toEqual({ tool: 'a1111', prompt: '桜, 猫耳' });
  });

  it('reads an A1111 UserComment in UTF-16 of either byte order, and in ASCII', async () => {
    const text = 'a cat\nNegative prompt: a dog\nSteps: 5';
    for (const little of [true, false]) {
      const unicode = Buffer.concat([
        Buffer.from('UNICODE\0', 'latin1'),
        Buffer.from(text, 'utf16le'),
      ]);
      if (!little) unicode.subarray(8).swap16();
      const found = await metadataOf(jpegWithExif(exifWithUserComment(unicode, little)));
      expect(found).toEqual({ tool: 'a1111', prompt: 'a cat', negativePrompt: 'a dog' });
    }
    const ascii = Buffer.concat([
      Buffer.from('ASCII\0\0\0', 'latin1'),
      Buffer.from(text, 'latin1'),
    ]);
    expect(await metadataOf(jpegWithExif(exifWithUserComment(ascii, true)))).toMatchObject({
      prompt: 'a cat',
    });
  });

  it("ignores a camera's comment that is no generator's parameters", async () => {
    const comment = Buffer.concat([
      Buffer.from('ASCII\0\0\0', 'latin1'),
      Buffer.from('OLYMPUS DIGITAL CAMERA'),
    ]);
    expect(await metadataOf(jpegWithExif(exifWithUserComment(comment, false)))).toBeNull();
  });

  it('follows a ComfyUI sampler through ControlNet and a text primitive to each side', async () => {
    const graph = {
      '1': { class_type: 'PrimitiveString', inputs: { value: 'red fox, snow' } },
      '2': { class_type: 'CLIPTextEncode', inputs: { text: ['1', 0], clip: ['9', 1] } },
      '3': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['9', 1] } },
      '4': {
        class_type: 'ControlNetApplyAdvanced',
        inputs: { positive: ['2', 0], negative: ['3', 0], image: ['8', 0] },
      },
      '5': {
        class_type: 'KSampler',
        inputs: { positive: ['4', 0], negative: ['4', 1], model: ['9', 0] },
      },
      '8': { class_type: 'LoadImage', inputs: { image: 'pose.png' } },
      '9': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'model.safetensors' } },
    };
    expect(await metadataOf(await pngWith(textChunk('prompt', JSON.stringify(graph))))).toEqual({
      tool: 'comfyui',
      prompt: 'red fox, snow',
      negativePrompt: 'blurry',
    });
  });

  it('takes a non-JSON "prompt" text or a plain comment as an unknown tool\'s prompt', async () => {
    expect(await metadataOf(await pngWith(textChunk('parameters', 'just a prompt')))).toEqual({
      tool: 'unknown',
      prompt: 'just a prompt',
    });
  });

  it('skips a damaged compressed chunk and still reads the others', async () => {
    const broken = pngChunk('zTXt', Buffer.from('parameters\0\0not zlib at all', 'latin1'));
    const found = await metadataOf(
      await pngWith(broken, textChunk('Description', 'x'), textChunk('Software', 'NovelAI')),
    );
    expect(found).toEqual({ tool: 'novelai', prompt: 'x' });
  });

  it('never throws on arbitrary bytes behind an image signature', async () => {
    const signatures = [
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from([0xff, 0xd8, 0xff, 0xe1]),
      Buffer.from('RIFF\0\0\0\0WEBPEXIF', 'latin1'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...signatures),
        fc.uint8Array({ maxLength: 300 }),
        async (signature, rest) => {
          const found = await metadataOf(Buffer.concat([signature, rest]));
          expect(found === null || typeof found.prompt === 'string').toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
