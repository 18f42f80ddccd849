import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from './onnx-protobuf.js';
import { makeTestTaggerModel, TEST_TAGGER_TAGS } from './test-tagger.js';

describe('encodeOnnxModel', () => {
  it('writes a model onnxruntime loads and runs, with symbolic and fixed dimensions', async () => {
    const session = await InferenceSession.create(
      encodeOnnxModel({
        opset: 17,
        inputs: [{ name: 'x', shape: ['batch', 2] }],
        outputs: [{ name: 'y', shape: ['batch', 3] }],
        initializers: [
          { name: 'w', dims: [2, 3], values: [1, 0, -1, 0, 2, 0] },
          { name: 'b', dims: [3], values: [0.5, 0, 0] },
        ],
        nodes: [
          { opType: 'MatMul', inputs: ['x', 'w'], outputs: ['product'] },
          { opType: 'Add', inputs: ['product', 'b'], outputs: ['y'] },
        ],
      }),
    );
    try {
      expect(session.inputMetadata[0]).toMatchObject({ name: 'x', shape: ['batch', 2] });
      const output = await session.run({
        x: new Tensor('float32', Float32Array.from([1, 2]), [1, 2]),
      });
      expect(Array.from(output.y?.data as Float32Array)).toEqual([1.5, 4, -1]);
    } finally {
      await session.release();
    }
  });

  it('writes float attributes and int64 initializers', async () => {
    const session = await InferenceSession.create(
      encodeOnnxModel({
        opset: 17,
        inputs: [{ name: 'x', shape: [2, 2] }],
        outputs: [{ name: 'y', shape: [4] }],
        initializers: [{ name: 'shape', dims: [1], values: [-1], type: 7 }],
        nodes: [
          {
            opType: 'LeakyRelu',
            inputs: ['x'],
            outputs: ['leaky'],
            attributes: { alpha: { float: 0.25 } },
          },
          { opType: 'Reshape', inputs: ['leaky', 'shape'], outputs: ['y'] },
        ],
      }),
    );
    try {
      const output = await session.run({
        x: new Tensor('float32', Float32Array.from([-4, 1, 2, -8]), [2, 2]),
      });
      expect(Array.from(output.y?.data as Float32Array)).toEqual([-1, 1, 2, -2]);
    } finally {
      await session.release();
    }
  });

  it.each(['realistic', 'heavy'] as const)(
    'makes a %s-compute tagger that scores the way the tiny one does',
    async (compute) => {
      const size = 64;
      const tiny = await InferenceSession.create(makeTestTaggerModel({ size }));
      const realistic = await InferenceSession.create(makeTestTaggerModel({ size, compute }));
      try {
        // A red image, BGR.
        const pixels = new Float32Array(size * size * 3);
        for (let index = 0; index < pixels.length; index += 3) pixels[index + 2] = 255;
        const input = { input: new Tensor('float32', pixels, [1, size, size, 3]) };
        const tinyScores = (await tiny.run(input)).output?.data as Float32Array;
        const realisticScores = (await realistic.run(input)).output?.data as Float32Array;
        expect(realisticScores).toHaveLength(TEST_TAGGER_TAGS.length);
        for (let index = 0; index < tinyScores.length; index += 1) {
          expect(realisticScores[index]).toBeCloseTo(tinyScores[index] as number, 2);
        }
      } finally {
        await tiny.release();
        await realistic.release();
      }
    },
  );
});
