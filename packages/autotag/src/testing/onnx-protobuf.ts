/**
 * A minimal writer of the ONNX protobuf format (onnx.proto, proto2): just enough of ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto and ValueInfoProto to describe a small
 * float graph. It exists so that tests can make real models without a download or a dependency.
 */

/** ONNX tensor element types used here (TensorProto.DataType). */
export const OnnxDataType = { FLOAT: 1, INT64: 7 } as const;

/** A dimension: a fixed size, or a name for a size given at run time (the batch). */
export type OnnxDimension = number | string;

/** A graph input or output: a float tensor of the given shape. */
export interface OnnxValueInfo {
  name: string;
  shape: readonly OnnxDimension[];
}

/** A constant tensor stored in the model (an initializer). */
export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  /** Float32 values (`FLOAT`) or integers (`INT64`). */
  values: Float32Array | readonly number[];
  type?: (typeof OnnxDataType)[keyof typeof OnnxDataType];
}

/** An attribute of a node: an int, a float, or a list of ints. */
export type OnnxAttributeValue = number | readonly number[] | { float: number };

/** One operator of the graph. */
export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, OnnxAttributeValue>;
}

/** A whole model: one graph, the default operator set at `opset`. */
export interface OnnxModel {
  opset: number;
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  initializers: readonly OnnxInitializer[];
  nodes: readonly OnnxNode[];
}

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;
/** IR version 8 (ONNX 1.10+), which every current runtime reads. */
const IR_VERSION = 8;

/** Bytes of one protobuf message, built field by field. */
class MessageWriter {
  private readonly chunks: Uint8Array[] = [];

  varint(field: number, value: number | bigint): this {
    this.key(field, WIRE_VARINT);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  fixed32Float(field: number, value: number): this {
    this.key(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.chunks.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(BigInt(value.length));
    this.chunks.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (writer: MessageWriter) => void): this {
    const nested = new MessageWriter();
    build(nested);
    return this.bytes(field, nested.finish());
  }

  finish(): Uint8Array {
    return Buffer.concat(this.chunks);
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  private rawVarint(value: bigint): void {
    const bytes: number[] = [];
    let rest = value;
    do {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      bytes.push(rest === 0n ? low : low | 0x80);
    } while (rest !== 0n);
    this.chunks.push(Uint8Array.from(bytes));
  }
}

function writeValueInfo(writer: MessageWriter, value: OnnxValueInfo): void {
  writer.string(1, value.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.varint(1, OnnxDataType.FLOAT).message(2, (shape) => {
        for (const dimension of value.shape) {
          shape.message(1, (entry) =>
            typeof dimension === 'number' ? entry.varint(1, dimension) : entry.string(2, dimension),
          );
        }
      }),
    ),
  );
}

function writeInitializer(writer: MessageWriter, tensor: OnnxInitializer): void {
  const type = tensor.type ?? OnnxDataType.FLOAT;
  for (const dimension of tensor.dims) writer.varint(1, dimension);
  writer.varint(2, type);
  writer.string(8, tensor.name);
  let raw: Uint8Array;
  if (type === OnnxDataType.FLOAT) {
    const floats = Float32Array.from(tensor.values);
    raw = new Uint8Array(floats.buffer);
  } else {
    const integers = BigInt64Array.from(tensor.values, (value) => BigInt(value));
    raw = new Uint8Array(integers.buffer);
  }
  // raw_data is little-endian, as is every platform Node runs on.
  writer.bytes(9, raw);
}

function writeAttribute(writer: MessageWriter, name: string, value: OnnxAttributeValue): void {
  writer.string(1, name);
  if (typeof value === 'number') writer.varint(3, value).varint(20, ATTRIBUTE_INT);
  else if ('float' in value) writer.fixed32Float(2, value.float).varint(20, ATTRIBUTE_FLOAT);
  else {
    for (const entry of value) writer.varint(8, entry);
    writer.varint(20, ATTRIBUTE_INTS);
  }
}

function writeNode(writer: MessageWriter, node: OnnxNode, index: number): void {
  for (const input of node.inputs) writer.string(1, input);
  for (const output of node.outputs) writer.string(2, output);
  writer.string(3, `${node.opType.toLowerCase()}_${index}`);
  writer.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    writer.message(5, (attribute) => writeAttribute(attribute, name, value));
  }
}

/**
 * The bytes of an ONNX model file (`model.onnx`) for `model`.
 *
 * @example
 * const bytes = encodeOnnxModel({
 *   opset: 17,
 *   inputs: [{ name: 'x', shape: ['batch', 2] }],
 *   outputs: [{ name: 'y', shape: ['batch', 2] }],
 *   initializers: [],
 *   nodes: [{ opType: 'Sigmoid', inputs: ['x'], outputs: ['y'] }],
 * });
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const writer = new MessageWriter();
  writer.varint(1, IR_VERSION);
  writer.string(2, 'civtag');
  writer.message(7, (graph) => {
    model.nodes.forEach((node, index) => {
      graph.message(1, (entry) => writeNode(entry, node, index));
    });
    graph.string(2, 'civtag_test_tagger');
    for (const tensor of model.initializers) {
      graph.message(5, (entry) => writeInitializer(entry, tensor));
    }
    for (const input of model.inputs) graph.message(11, (entry) => writeValueInfo(entry, input));
    for (const output of model.outputs) graph.message(12, (entry) => writeValueInfo(entry, output));
  });
  writer.message(8, (opset) => opset.string(1, '').varint(2, model.opset));
  return writer.finish();
}
