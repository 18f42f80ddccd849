import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionBytes } from '../test/caption-bytes.js';
import { readSidecar, writeSidecar } from './sidecar.js';

describe('a caption file of any bytes, read, written back and read again', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'civtag-caption-fuzz-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it(
    'keeps its tags and extra lines, and is UTF-8 without warnings the second time',
    async () => {
      const file = () => path.join(folder, 'image.txt');
      const property = fc.asyncProperty(captionBytes, async (bytes) => {
        await writeFile(file(), bytes);
        const first = await readSidecar(file());
        if (first === null) throw new Error(`${file()} vanished`);
        await writeSidecar(file(), { tags: first.tags, extraLines: first.extraLines });
        const second = await readSidecar(file());
        expect(second?.tags ?? [], JSON.stringify([...bytes])).toEqual(first.tags);
        expect(second?.extraLines ?? []).toEqual(first.extraLines);
        if (second !== null) {
          expect(second.encoding).toBe('utf-8');
          expect(second.hadBom).toBe(false);
          expect(second.warnings).toEqual([]);
        }
      });
      await checkFuzzTarget('core-fs-caption-file', property, 300);
    },
    fuzzTimeout(60_000),
  );
});
