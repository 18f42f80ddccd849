import { CivtagError, ErrorCode } from '@civtag/api-models';
import { describeError } from './errors.js';
import { type ImageSource, preprocessImage } from './preprocess-image.js';

/** A batch of inputs decoded into one tensor's memory. */
export interface DecodedBatch<Item> {
  readonly items: Item[];
  /** `decoded` images, one after another, as the model takes them. */
  readonly data: Float32Array;
  /** Per item: why it could not be decoded, or the row it holds in `data`. */
  readonly rows: (CivtagError | number)[];
  readonly decoded: number;
}

/**
 * Decodes `items` into `data` all at once (sharp runs them on libuv's threads), then moves the
 * decoded images up over the failed ones, so that inference runs on real images only. An item
 * that cannot be decoded, or whose `source` throws, gets its error instead of a row.
 *
 * @param first The position of the first item in the whole run, named in errors about bytes.
 */
export async function decodeBatch<Item>(
  items: Item[],
  options: {
    first: number;
    data: Float32Array;
    inputSize: number;
    source: (item: Item) => ImageSource;
  },
): Promise<DecodedBatch<Item>> {
  const { first, data, inputSize, source } = options;
  const valuesPerImage = inputSize * inputSize * 3;
  const outcomes = await Promise.all(
    items.map(async (item, slot) => {
      try {
        const image = source(item);
        const name = typeof image === 'string' ? image : `image ${first + slot} (bytes)`;
        await preprocessImage(image, inputSize, { data, offset: slot * valuesPerImage, name });
        return slot;
      } catch (error) {
        return toCivtagError(error, first + slot);
      }
    }),
  );
  let decoded = 0;
  const rows = outcomes.map((outcome) => {
    if (typeof outcome !== 'number') return outcome;
    if (outcome !== decoded) {
      const from = outcome * valuesPerImage;
      data.copyWithin(decoded * valuesPerImage, from, from + valuesPerImage);
    }
    decoded += 1;
    return decoded - 1;
  });
  return { items, data, rows, decoded };
}

function toCivtagError(error: unknown, position: number): CivtagError {
  if (CivtagError.isInstance(error)) return error;
  return new CivtagError(
    ErrorCode.VALIDATION,
    `Input ${position} cannot be tagged: ${describeError(error)}. Give a file path or the bytes of an image file.`,
    { cause: error, details: { position } },
  );
}
