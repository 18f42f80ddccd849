import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTagger, TaggerError } from '../src/index.js';
import { encodeOnnxModel, makeTestTaggerCsv, writeTestTagger } from '../src/testing.js';

let temporary: string;
let counter = 0;

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'civtag-autotag-load-'));
});

afterAll(async () => {
  await rm(temporary, { recursive: true, force: true });
});

/** A fresh folder holding a working test tagger. */
async function taggerFolder(options: Parameters<typeof writeTestTagger>[1] = {}) {
  counter += 1;
  return writeTestTagger(path.join(temporary, `tagger-${counter}`), options);
}

async function loadError(folder: string): Promise<CivtagError> {
  const error = await loadTagger(folder).then(
    async (tagger) => {
      await tagger.close();
      throw new Error(`${folder} loaded`);
    },
    (reason: unknown) => reason,
  );
  expect(CivtagError.isInstance(error)).toBe(true);
  expect(error).toBeInstanceOf(TaggerError);
  return error as CivtagError;
}

describe('loading a tagger folder', () => {
  it('loads a generated WD14-layout folder', async () => {
    const { folder, modelPath, tagsPath } = await taggerFolder({ size: 48 });
    const tagger = await loadTagger(folder, { threads: 1 });
    try {
      expect(tagger.inputSize).toBe(48);
      expect(tagger.modelPath).toBe(modelPath);
      expect(tagger.tagsPath).toBe(tagsPath);
      expect(tagger.labels).toHaveLength(15);
    } finally {
      await tagger.close();
    }
  });

  it('names the folder when it does not exist', async () => {
    const missing = path.join(temporary, 'no-such-tagger');
    const error = await loadError(missing);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('Download model.onnx and selected_tags.csv');
  });

  it('says model.onnx is missing and how to get it', async () => {
    const folder = path.join(temporary, 'only-csv');
    await mkdir(folder);
    await writeFile(path.join(folder, 'selected_tags.csv'), makeTestTaggerCsv());
    const error = await loadError(folder);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(path.join(folder, 'model.onnx'));
    expect(error.message).toContain(
      `Download model.onnx and selected_tags.csv of a WD v2/v3 tagger (e.g. SmilingWolf/wd-vit-tagger-v3) into ${folder}`,
    );
    expect(error.details).toEqual({ path: path.join(folder, 'model.onnx') });
  });

  it('says selected_tags.csv is missing', async () => {
    const { folder, tagsPath } = await taggerFolder();
    await rm(tagsPath);
    const error = await loadError(folder);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(tagsPath);
  });

  it('refuses a model.onnx that is not an ONNX model', async () => {
    const { folder, modelPath } = await taggerFolder();
    await writeFile(modelPath, '<!DOCTYPE html><html><body>Not found</body></html>');
    const error = await loadError(folder);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(`${modelPath} is not an ONNX model`);
    expect(error.message).toContain('Download model.onnx again');
  });

  it('refuses an empty model.onnx and a Git LFS pointer, saying what they are', async () => {
    const empty = await taggerFolder();
    await writeFile(empty.modelPath, '');
    expect((await loadError(empty.folder)).message).toContain('is empty');
    const pointer = await taggerFolder();
    await writeFile(
      pointer.modelPath,
      'version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 1234\n',
    );
    const error = await loadError(pointer.folder);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('git lfs pull');
  });

  it('refuses a model whose input is channels first, [N, 3, H, W]', async () => {
    const { folder, modelPath } = await taggerFolder({ layout: 'nchw' });
    const error = await loadError(folder);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(modelPath);
    expect(error.message).toContain('[batch, 3, 32, 32]');
    expect(error.message).toContain('[N, H, W, 3]');
    expect(error.message).toContain('channels first');
  });

  it('refuses a model whose input is not an image batch at all', async () => {
    const { folder } = await taggerFolder();
    await writeFile(
      path.join(folder, 'model.onnx'),
      encodeOnnxModel({
        opset: 17,
        inputs: [{ name: 'x', shape: ['batch', 15] }],
        outputs: [{ name: 'y', shape: ['batch', 15] }],
        initializers: [],
        nodes: [{ opType: 'Sigmoid', inputs: ['x'], outputs: ['y'] }],
      }),
    );
    const error = await loadError(folder);
    expect(error.code).toBe('VALIDATION');
    expect(error.details).toMatchObject({ inputShape: ['batch', 15] });
  });

  it('refuses a CSV with more rows than the model has outputs, naming both files', async () => {
    const { folder, modelPath, tagsPath } = await taggerFolder();
    await appendFile(tagsPath, '9999,extra_tag,0,1\n');
    const error = await loadError(folder);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(`${tagsPath} lists 16 tags, but ${modelPath} scores 15`);
    expect(error.message).toContain('selected_tags.csv that came with this model.onnx');
  });

  it('refuses a malformed CSV row, naming the file and the line', async () => {
    const { folder, tagsPath } = await taggerFolder();
    await appendFile(tagsPath, '9999,extra_tag,general,1\n');
    const error = await loadError(folder);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(`${tagsPath}, line 17`);
    expect(error.message).toContain('"general" is not a number');
    expect(error.details).toMatchObject({ path: tagsPath, line: 17 });
  });

  it('refuses a CSV without the WD14 header', async () => {
    const { folder, tagsPath } = await taggerFolder();
    await writeFile(tagsPath, 'name,count\nred,1\n');
    const error = await loadError(folder);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('tag_id,name,category,count');
  });
});
