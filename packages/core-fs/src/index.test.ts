import { expect, it } from 'vitest';

it('exports exactly the public surface', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "FileError",
      "ImageError",
      "PathOutsideRootError",
      "hashFile",
      "isTransientError",
      "resolveInsideRoot",
      "scanImages",
      "sweepTempFiles",
      "withRetry",
      "writeFileAtomic",
    ]
  `);
});
