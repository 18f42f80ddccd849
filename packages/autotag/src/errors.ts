import { CivtagError, type CivtagErrorOptions, type ErrorCode } from '@civtag/api-models';

/**
 * A tagger folder cannot be used: a file is missing (`NOT_FOUND`), cannot be read
 * (`IO_ERROR`), or is not what a WD14-layout tagger holds (`VALIDATION`: not an ONNX model, an
 * input that is not `[N, H, W, 3]`, a `selected_tags.csv` row that cannot be read or whose row
 * count differs from the model's outputs). `details.path` names the file; the message says
 * what to do about it.
 */
export class TaggerError extends CivtagError {
  constructor(
    code: Extract<ErrorCode, 'NOT_FOUND' | 'IO_ERROR' | 'VALIDATION'>,
    message: string,
    options: CivtagErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'TaggerError';
  }
}

/** The message of any thrown value, for embedding in a message of our own. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
