// What tests of civtag (here and in the packages that use the tagger) need: a real tagger
// made on the spot, and images it knows. Nothing here downloads anything.
export { type Colour, makeColourImage, TEST_COLOURS } from './testing/colour-image.js';
export {
  encodeOnnxModel,
  type OnnxAttributeValue,
  OnnxDataType,
  type OnnxDimension,
  type OnnxInitializer,
  type OnnxModel,
  type OnnxNode,
  type OnnxValueInfo,
} from './testing/onnx-protobuf.js';
export {
  makeTestTaggerCsv,
  makeTestTaggerModel,
  TEST_TAGGER_TAGS,
  type TestTaggerFiles,
  type TestTaggerOptions,
  writeTestTagger,
} from './testing/test-tagger.js';
