import { expect, it } from 'vitest';

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_PIXEL_LIMIT",
      "DirectWriteBuffers",
      "FileError",
      "IMAGE_EXTENSIONS",
      "ImageError",
      "MAX_SIDECAR_BYTES",
      "PathOutsideRootError",
      "ReadBuffers",
      "copyIntoDataset",
      "detectImageFormat",
      "freeSpace",
      "hashFile",
      "isTransientError",
      "makeFolder",
      "makeThumbnail",
      "makeThumbnailWithHash",
      "perceptualHash",
      "perceptualHashOfPixels",
      "probeImage",
      "readGenerationMetadata",
      "readImageFile",
      "readSidecar",
      "resolveInsideRoot",
      "scanImages",
      "stageCopy",
      "sweepTempFiles",
      "syncFolder",
      "temporaryNameMark",
      "toImageError",
      "withRetry",
      "writeFileAtomic",
      "writeSidecar",
      "writeThumbnailWithHash",
    ]
  `);
});
