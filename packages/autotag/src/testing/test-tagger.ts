import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  encodeOnnxModel,
  type OnnxInitializer,
  type OnnxModel,
  type OnnxNode,
} from './onnx-protobuf.js';

/** One tag of the test tagger and how its score follows the image's mean colour. */
interface TestTag {
  readonly name: string;
  /** selected_tags.csv category: 9 rating, 0 general, 4 character. */
  readonly category: 9 | 0 | 4;
  /** Logit = red·r + green·g + blue·b + bias, with r, g, b the mean channels in 0–1. */
  readonly red: number;
  readonly green: number;
  readonly blue: number;
  readonly bias: number;
}

const tag = (name: string, category: 9 | 0 | 4, [red, green, blue, bias]: number[]): TestTag => ({
  name,
  category,
  red: red ?? 0,
  green: green ?? 0,
  blue: blue ?? 0,
  bias: bias ?? 0,
});

/**
 * The tags of the test tagger, in output order, and what each answers to:
 * - ratings: `general` always 0.73; `sensitive` 0.98 on black, 0.5 on a pure colour, ~0 on white;
 * - `red`, `green`, `blue`: ≥ 0.9996 on that pure colour, ≤ 0.02 on any other pure colour, white or black;
 * - `white_background` on white, `black_background` on black (≥ 0.993);
 * - `^_^` on yellow (0.9975), a kaomoji whose underscore must survive;
 * - `solo` 0.818, `simple_background` 0.5, `upper_body` 0.2994 on every image (for thresholds and MCut);
 * - characters: `civtag_(mascot)` on magenta (0.9975), `other_character` 0.269 on every image.
 */
export const TEST_TAGGER_TAGS: readonly TestTag[] = [
  tag('general', 9, [0, 0, 0, 1]),
  tag('sensitive', 9, [-4, -4, -4, 4]),
  tag('questionable', 9, [0, 0, 0, -3]),
  tag('explicit', 9, [0, 0, 0, -4]),
  tag('red', 0, [12, -12, -12, -4]),
  tag('green', 0, [-12, 12, -12, -4]),
  tag('blue', 0, [-12, -12, 12, -4]),
  tag('white_background', 0, [10, 10, 10, -25]),
  tag('black_background', 0, [-10, -10, -10, 5]),
  tag('^_^', 0, [10, 10, -10, -14]),
  tag('solo', 0, [0, 0, 0, 1.5]),
  tag('simple_background', 0, [0, 0, 0, 0]),
  tag('upper_body', 0, [0, 0, 0, -0.85]),
  tag('civtag_(mascot)', 4, [10, -10, 10, -14]),
  tag('other_character', 4, [0, 0, 0, -1]),
];

/** Options of {@link writeTestTagger} and {@link makeTestTaggerModel}. */
export interface TestTaggerOptions {
  /**
   * `tiny` (default): mean colour → MatMul → Add → Sigmoid, a few thousand FLOPs at 32 px.
   * `realistic`: the same scores plus four stride-2 3×3 convolutions (3→16→32→64→128
   * channels), global pooling and a projection with weights too small to change which tags
   * pass: about 390 MFLOPs per image at 448 px, for benchmarks.
   * `heavy`: the same scores after a VGG-like stack of sixteen 3×3 convolutions (32 to 512
   * channels, five of them stride 2): about 12 GFLOPs per image at 448 px, the order of a real
   * WD tagger's compute (the v3 taggers take tens of GFLOPs), so that a benchmark weighs
   * decoding against inference as a user's run does.
   */
  compute?: 'tiny' | 'realistic' | 'heavy';
  /** The image side `S` of the `[N, S, S, 3]` input. Default 32 (`tiny`), else 448. */
  size?: number;
  /** A fixed batch size instead of the symbolic `batch`. */
  batchSize?: number;
  /** `nchw` makes a model civtag must refuse (`[N, 3, S, S]`). Default `nhwc`. */
  layout?: 'nhwc' | 'nchw';
}

/** The bytes of the test tagger's `model.onnx` (see {@link TEST_TAGGER_TAGS}). */
export function makeTestTaggerModel(options: TestTaggerOptions = {}): Uint8Array {
  const compute = options.compute ?? 'tiny';
  const size = options.size ?? (compute === 'tiny' ? 32 : 448);
  const batch = options.batchSize ?? 'batch';
  const count = TEST_TAGGER_TAGS.length;
  const nchw = options.layout === 'nchw';
  // The input is BGR, as WD14 taggers take it: row 0 of the weights is blue.
  const weights = TEST_TAGGER_TAGS.flatMap((entry) => [entry.blue, entry.green, entry.red]);
  const transposed = Array.from({ length: 3 * count }, (_, index) => {
    const channel = Math.floor(index / count);
    return weights[(index % count) * 3 + channel] as number;
  });
  const initializers: OnnxInitializer[] = [
    { name: 'scale', dims: [], values: [1 / 255] },
    { name: 'colour_weight', dims: [3, count], values: transposed },
    { name: 'colour_bias', dims: [count], values: TEST_TAGGER_TAGS.map((entry) => entry.bias) },
  ];
  const nodes: OnnxNode[] = [
    {
      opType: 'ReduceMean',
      inputs: ['input'],
      outputs: ['mean'],
      attributes: { axes: nchw ? [2, 3] : [1, 2], keepdims: 0 },
    },
    { opType: 'Mul', inputs: ['mean', 'scale'], outputs: ['colour'] },
    { opType: 'MatMul', inputs: ['colour', 'colour_weight'], outputs: ['colour_product'] },
    { opType: 'Add', inputs: ['colour_product', 'colour_bias'], outputs: ['logits'] },
  ];
  if (compute !== 'tiny') addConvolutions(nodes, initializers, count, CONVOLUTIONS[compute]);
  nodes.push({
    opType: 'Sigmoid',
    inputs: [compute === 'tiny' ? 'logits' : 'mixed_logits'],
    outputs: ['output'],
  });
  const model: OnnxModel = {
    opset: 17,
    inputs: [{ name: 'input', shape: nchw ? [batch, 3, size, size] : [batch, size, size, 3] }],
    outputs: [{ name: 'output', shape: [batch, count] }],
    initializers,
    nodes,
  };
  return encodeOnnxModel(model);
}

/** A 3×3 convolution of the benchmark models: its output channels and stride. */
interface Convolution {
  channels: number;
  stride: 1 | 2;
}

function stage(channels: number, convolutions: number): Convolution[] {
  return Array.from({ length: convolutions }, (_, index) => ({
    channels,
    stride: index === 0 ? 2 : 1,
  }));
}

const CONVOLUTIONS: Record<'realistic' | 'heavy', Convolution[]> = {
  realistic: [16, 32, 64, 128].map((channels) => ({ channels, stride: 2 })),
  // 224² × 32 … 14² × 512: about 17 G multiply-adds per image at 448 px, most of them in the
  // 112² and 56² stages, whose weights are small (the model file is about 50 MB).
  heavy: [...stage(32, 1), ...stage(64, 14), ...stage(128, 14), ...stage(256, 8), ...stage(512, 3)],
};

function addConvolutions(
  nodes: OnnxNode[],
  initializers: OnnxInitializer[],
  count: number,
  convolutions: Convolution[],
): void {
  const random = seededRandom(0x5eed);
  const uniform = (length: number, limit: number) =>
    Float32Array.from({ length }, () => (random() * 2 - 1) * limit);
  nodes.push(
    {
      opType: 'Transpose',
      inputs: ['input'],
      outputs: ['channels_first'],
      attributes: { perm: [0, 3, 1, 2] },
    },
    { opType: 'Mul', inputs: ['channels_first', 'scale'], outputs: ['features_0'] },
  );
  let input = 3;
  for (const [layer, { channels: output, stride }] of convolutions.entries()) {
    const fanIn = input * 9;
    // He initialisation keeps activations of order 1 through the ReLUs.
    initializers.push(
      {
        name: `conv_${layer}_weight`,
        dims: [output, input, 3, 3],
        values: uniform(output * fanIn, Math.sqrt(6 / fanIn)),
      },
      { name: `conv_${layer}_bias`, dims: [output], values: uniform(output, 0.01) },
    );
    nodes.push(
      {
        opType: 'Conv',
        inputs: [`features_${layer}`, `conv_${layer}_weight`, `conv_${layer}_bias`],
        outputs: [`conv_${layer}`],
        attributes: { kernel_shape: [3, 3], strides: [stride, stride], pads: [1, 1, 1, 1] },
      },
      { opType: 'Relu', inputs: [`conv_${layer}`], outputs: [`features_${layer + 1}`] },
    );
    input = output;
  }
  const last = convolutions.length;
  const channels = input;
  initializers.push({
    name: 'feature_weight',
    dims: [channels, count],
    values: uniform(channels * count, 1e-3),
  });
  nodes.push(
    { opType: 'GlobalAveragePool', inputs: [`features_${last}`], outputs: ['pooled'] },
    { opType: 'Flatten', inputs: ['pooled'], outputs: ['pooled_flat'], attributes: { axis: 1 } },
    { opType: 'MatMul', inputs: ['pooled_flat', 'feature_weight'], outputs: ['feature_logits'] },
    { opType: 'Add', inputs: ['logits', 'feature_logits'], outputs: ['mixed_logits'] },
  );
}

/** mulberry32: the same weights on every run and machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The test tagger's `selected_tags.csv`, with made-up tag ids and counts. */
export function makeTestTaggerCsv(): string {
  const rows = TEST_TAGGER_TAGS.map(
    (entry, index) => `${9000 + index},${entry.name},${entry.category},${1000 - index}`,
  );
  return `tag_id,name,category,count\n${rows.join('\n')}\n`;
}

/** Where {@link writeTestTagger} put the tagger. */
export interface TestTaggerFiles {
  folder: string;
  modelPath: string;
  tagsPath: string;
}

/**
 * Writes a WD14-layout tagger into `folder` (made if missing): `model.onnx` from
 * {@link makeTestTaggerModel} and `selected_tags.csv` from {@link makeTestTaggerCsv}. Its scores
 * follow the image's mean colour (see {@link TEST_TAGGER_TAGS}), so a red image is tagged
 * `red` and a blue one `blue`. No download, no dependency.
 *
 * @example
 * const { folder } = await writeTestTagger(path.join(temporary, 'tagger'));
 * const tagger = await loadTagger(folder);
 */
export async function writeTestTagger(
  folder: string,
  options: TestTaggerOptions = {},
): Promise<TestTaggerFiles> {
  await mkdir(folder, { recursive: true });
  const modelPath = path.join(folder, 'model.onnx');
  const tagsPath = path.join(folder, 'selected_tags.csv');
  await writeFile(modelPath, makeTestTaggerModel(options));
  await writeFile(tagsPath, makeTestTaggerCsv());
  return { folder, modelPath, tagsPath };
}
