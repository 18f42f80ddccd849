import { type FSWatcher, type Stats, statSync, watch } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LockOwner, readLockOwner } from './lock-owner.js';
import { SessionError } from './session-error.js';

/** How long a missing or foreign lock is given to come back (a takeover race) before it counts. */
const CONFIRM_DELAY_MS = 50;

/**
 * Notices when the lock this session holds is removed or replaced under it: on every
 * {@link LockWatch.verify}, when the file changes (`fs.watch`) and on an interval.
 * Once lost, the lock stays lost: the session must not write again.
 */
export class LockWatch {
  private lost: SessionError | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  /** The lock file as this session made it: a rename or rewrite over it changes these. */
  private identity: Stats | undefined;

  constructor(
    private readonly file: string,
    private readonly owner: LockOwner,
    private readonly onLost: (error: SessionError) => void,
  ) {
    this.identity = statSync(file, { throwIfNoEntry: false });
  }

  /** Starts the background checks every `intervalMs`. */
  start(intervalMs: number): void {
    try {
      this.watcher = watch(this.file, { persistent: false }, () => void this.check());
      this.watcher.on('error', () => undefined);
    } catch {
      // Some file systems cannot be watched; the interval and the per-apply check remain.
    }
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  /** Stops the background checks. */
  stop(): void {
    this.watcher?.close();
    clearInterval(this.timer);
  }

  /** The error the session fails with once the lock is lost. */
  get lostError(): SessionError | undefined {
    return this.lost;
  }

  /**
   * Resolves when the lock is still this session's.
   *
   * @throws {SessionError} `SESSION_LOCKED` when it was removed or replaced.
   */
  async verify(): Promise<void> {
    // One stat per apply (microseconds, synchronous on purpose: a round trip through the thread
    // pool would cost more than the check); the content is read only when the file changed.
    if (this.lost === undefined && !this.unchanged()) await this.check();
    if (this.lost !== undefined) throw this.lost;
  }

  private unchanged(): boolean {
    const now = statSync(this.file, { throwIfNoEntry: false });
    const then = this.identity;
    return (
      now !== undefined &&
      then !== undefined &&
      now.ino === then.ino &&
      now.dev === then.dev &&
      now.size === then.size &&
      now.mtimeMs === then.mtimeMs
    );
  }

  private check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.lost !== undefined) return;
    if (await this.stillOurs()) {
      // Touched or copied back in place, but still ours: remember it as it is now.
      this.identity = statSync(this.file, { throwIfNoEntry: false });
      return;
    }
    await sleep(CONFIRM_DELAY_MS);
    const current = await readLockOwner(this.file).catch(() => null);
    if (current?.token === this.owner.token || this.lost !== undefined) return;
    const how =
      current === undefined
        ? 'was removed'
        : current === null
          ? 'was replaced by a file civtag did not write'
          : `was taken by process ${current.pid} on ${current.host} since ${current.startedAt}`;
    this.lost = new SessionError(
      'SESSION_LOCKED',
      `The lock ${this.file} ${how} while this session held it. The session accepts no more ` +
        'changes (everything acknowledged is in the journal); close it and open the dataset again.',
      {
        details: {
          pid: current?.pid ?? null,
          host: current?.host ?? null,
          startedAt: current?.startedAt ?? null,
        },
      },
    );
    this.stop();
    this.onLost(this.lost);
  }

  private async stillOurs(): Promise<boolean> {
    const current = await readLockOwner(this.file).catch(() => null);
    return current?.token === this.owner.token;
  }
}
