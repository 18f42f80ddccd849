import { expect, it } from 'vitest';

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_PIXEL_LIMIT",
      "FileError",
      "IMAGE_EXTENSIONS",
      "ImageError",
      "PathOutsideRootError",
      "copyIntoDataset",
      "detectImageFormat",
      "hashFile",
      "isTransientError",
      "makeThumbnail",
      "probeImage",
      "resolveInsideRoot",
      "scanImages",
      "sweepTempFiles",
      "withRetry",
      "writeFileAtomic",
    ]
  `);
});
