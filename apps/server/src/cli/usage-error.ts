import { CivtagError, ErrorCode } from '@civtag/api-models';

/**
 * A command line civtag cannot understand (unknown option, missing argument): exit code 2,
 * with the command's usage printed under the message.
 */
export class UsageError extends CivtagError {
  readonly usage: string | undefined;

  constructor(message: string, usage?: string) {
    super(ErrorCode.VALIDATION, message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}
