import type { IdempotencyKey } from './journal-line.js';
import type { RememberedKey } from './snapshot-file.js';

/** What an idempotent apply answered the first time. */
export interface FirstAnswer<R> {
  revision: number;
  result: R;
}

/**
 * The most recent `capacity` idempotency keys and the answers they got, oldest first, so that an
 * entry resent after a reconnect or a restart is answered again instead of applied twice.
 */
export class RememberedKeys<R> {
  private readonly answers = new Map<string, RememberedKey>();

  constructor(
    private readonly capacity: number,
    private readonly lighten: (result: R) => R = (result) => result,
  ) {}

  /** The first answer for `key`, if it is still remembered. */
  get(key: IdempotencyKey): FirstAnswer<R> | undefined {
    const found = this.answers.get(mapKey(key));
    return found === undefined
      ? undefined
      : { revision: found.revision, result: found.result as R };
  }

  /**
   * Remembers `key`'s answer (its result as `lighten` keeps it), forgetting the oldest key when
   * over capacity.
   */
  remember(key: IdempotencyKey, answer: FirstAnswer<R>): void {
    if (this.capacity === 0) return;
    const name = mapKey(key);
    this.answers.delete(name);
    this.answers.set(name, {
      clientId: key.clientId,
      opId: key.opId,
      revision: answer.revision,
      result: this.lighten(answer.result),
    });
    if (this.answers.size > this.capacity) {
      const oldest = this.answers.keys().next();
      if (oldest.done !== true) this.answers.delete(oldest.value);
    }
  }

  /** Every remembered key, oldest first, as the snapshot stores them. */
  list(): RememberedKey[] {
    return [...this.answers.values()];
  }
}

function mapKey(key: IdempotencyKey): string {
  // JSON keeps the two parts apart whatever characters they contain.
  return JSON.stringify([key.clientId, key.opId]);
}
