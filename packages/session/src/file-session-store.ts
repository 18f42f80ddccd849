import { mkdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CivtagError } from '@civtag/api-models';
import { sweepTempFiles } from '@civtag/core-fs';
import { acquireLock, releaseLock, removeDeadPendingFiles } from './directory-lock.js';
import { JournalFile } from './journal-file.js';
import type { LockOwner } from './lock-owner.js';
import { LockWatch } from './lock-watch.js';
import type { JournalScan } from './scan-journal.js';
import { ioError, SessionError, systemErrorCode } from './session-error.js';
import { type SessionFiles, sessionFiles } from './session-files.js';
import type {
  SessionStore,
  SnapshotToWrite,
  StoreContents,
  StoredAppend,
  StoreLease,
  StoreWrite,
} from './session-store.js';
import type { SessionWarning } from './session-warning.js';
import { setAsideDamagedLine } from './set-aside-damaged-line.js';
import { readSnapshotText, writeSnapshotFile } from './snapshot-file.js';

/** The options of {@link FileSessionStore}. */
export interface FileSessionStoreOptions {
  /**
   * How many times {@link FileSessionStore.read} reads again when a compaction by the process
   * holding the folder replaced the snapshot and the journal while they were being read.
   * Default 10.
   */
  readAttempts?: number;
  /** How often (ms) the lock is checked in the background, besides on every write. Default 2,000. */
  lockCheckIntervalMs?: number;
}

const DEFAULT_READ_ATTEMPTS = 10;
const RETRY_PAUSE_MS = 5;
const NO_RECORDS: never[] = [];

/**
 * The session's folder as its store: `session.json` (the snapshot, replaced atomically, the one
 * before it kept as `session.json.prev`), `journal.jsonl` (checksummed lines, each flushed before
 * it is acknowledged) and `lock`, which makes this process the folder's one writer for the whole
 * life of the session. Having no other writers, a write is the append and nothing more: the
 * lock is checked with one `stat`, `others` is always empty and `commit` has nothing to do.
 */
export class FileSessionStore implements SessionStore {
  readonly files: SessionFiles;
  private readonly readAttempts: number;
  private readonly lockCheckIntervalMs: number;
  private owner: LockOwner | undefined;
  private scan: JournalScan | undefined;
  private journal: JournalFile | undefined;
  private lockWatch: LockWatch | undefined;
  private readonly lostListeners = new Set<(error: CivtagError) => void>();
  private readonly writer: StoreWrite;

  constructor(dir: string, options: FileSessionStoreOptions = {}) {
    this.files = sessionFiles(dir);
    this.readAttempts = Math.max(1, options.readAttempts ?? DEFAULT_READ_ATTEMPTS);
    this.lockCheckIntervalMs = options.lockCheckIntervalMs ?? 2_000;
    // One writer object for the life of the store: a write allocates nothing of its own.
    this.writer = {
      others: NO_RECORDS,
      append: (append: StoredAppend) => this.openJournal().append(append.line),
      compact: (snapshot: SnapshotToWrite) => this.compact(snapshot),
      commit: () => Promise.resolve(),
      abort: () => Promise.resolve(),
    };
  }

  get location(): string {
    return this.files.dir;
  }

  get appendedBytes(): number {
    return this.journal?.size ?? 0;
  }

  /**
   * Reads the snapshot, then the complete lines of the journal, without the lock. A compaction
   * puts its snapshot in place before it starts a new journal. So while the snapshot stays the
   * same file, the journal read after it goes on from it: together they are one state of the
   * writer. When the snapshot was replaced meanwhile, a journal with entries going on from the
   * snapshot read is still the one that followed it (a new journal starts after the new
   * snapshot, leaving a gap); an empty one may be the new journal, and the snapshot read then
   * lags behind what the writer had when the read began: the read starts again after a short
   * random pause.
   *
   * @throws {SessionError} `IO_ERROR` after `readAttempts` such reads (try again).
   */
  async read(): Promise<StoreContents> {
    const { files } = this;
    for (let attempt = 1; ; attempt += 1) {
      const before = await snapshotIdentity(files.snapshot);
      const snapshot = await readSnapshotText(files.snapshot);
      const scan = await JournalFile.read(files.journal);
      const first = scan.records[0]?.record.rev;
      const followsSnapshot =
        first !== undefined && first <= (snapshot?.snapshot.revision ?? 0) + 1;
      if (followsSnapshot || (await snapshotIdentity(files.snapshot)) === before) {
        return this.contents(snapshot, scan);
      }
      if (attempt >= this.readAttempts) {
        throw new SessionError(
          'IO_ERROR',
          `The session in ${files.dir} was compacted during each of ${this.readAttempts} reads: the ` +
            'process holding it compacts faster than it can be read. Try again.',
          { details: { dir: files.dir, attempts: this.readAttempts } },
        );
      }
      // A random pause, growing with each attempt, so that a reader does not fall in step with
      // a writer that compacts at a steady pace.
      await sleep(Math.random() * RETRY_PAUSE_MS * attempt);
    }
  }

  /**
   * Creates the folder, takes its lock (a lock left by a dead process on this host is taken
   * over), removes temporary files a killed write left, and reads the snapshot and the journal.
   */
  async open(): Promise<StoreContents> {
    const { files } = this;
    try {
      await mkdir(files.dir, { recursive: true });
    } catch (error) {
      throw ioError(`Creating the session folder ${files.dir}`, error, '', files.dir);
    }
    const owner = await acquireLock(files.lock);
    this.owner = owner;
    try {
      await removeDeadPendingFiles(files.lock);
      await sweepTempFiles(files.dir);
      const snapshot = await readSnapshotText(files.snapshot);
      this.scan = await JournalFile.read(files.journal);
      return this.contents(snapshot, this.scan);
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Keeps a complete but damaged last line aside (in a file beside the journal), cuts the torn
   * tail off, opens the journal for appending and starts watching the lock.
   */
  async start(): Promise<SessionWarning[]> {
    const { files, owner, scan } = this;
    if (owner === undefined || scan === undefined) {
      throw new SessionError('SESSION_CLOSED', `The session store ${files.dir} is not open.`);
    }
    const warnings: SessionWarning[] = [];
    if (scan.damaged !== undefined) {
      warnings.push(await setAsideDamagedLine(files.journal, scan.damaged));
    }
    this.journal = await JournalFile.open(files.journal, scan);
    this.scan = undefined;
    this.lockWatch = new LockWatch(files.lock, owner, (error) => {
      for (const listener of this.lostListeners) listener(error);
    });
    this.lockWatch.start(this.lockCheckIntervalMs);
    return warnings;
  }

  /** Checks the lock is still this process's (one `stat`); the write lock is the folder's lock. */
  async beginWrite(): Promise<StoreWrite> {
    const watch = this.lockWatch;
    if (watch === undefined) {
      throw new SessionError('SESSION_CLOSED', `The session store ${this.files.dir} is not open.`);
    }
    await watch.verify();
    return this.writer;
  }

  onLost(listener: (error: CivtagError) => void): () => void {
    this.lostListeners.add(listener);
    return () => {
      this.lostListeners.delete(listener);
    };
  }

  /** The folder's one writer holds every lease while it holds the lock. */
  async tryLease(): Promise<StoreLease | undefined> {
    if (this.lockWatch === undefined || this.lockWatch.lostError !== undefined) return undefined;
    let released = false;
    const watch = this.lockWatch;
    const store = this;
    return {
      // Held while this store holds the lock: not once it is lost, nor once the store is closed.
      get held() {
        return !released && store.lockWatch === watch && watch.lostError === undefined;
      },
      onLost: (listener) => this.onLost(listener),
      release: async () => {
        released = true;
      },
    };
  }

  async close(): Promise<void> {
    const { files, owner, lockWatch, journal } = this;
    let failure: unknown;
    lockWatch?.stop();
    this.lockWatch = undefined;
    if (journal !== undefined) {
      await journal.close().catch((error: unknown) => {
        failure ??= error;
      });
    }
    if (owner !== undefined && lockWatch?.lostError === undefined) {
      await releaseLock(files.lock, owner).catch((error: unknown) => {
        failure ??= error;
      });
    }
    this.owner = undefined;
    if (failure !== undefined) throw failure;
  }

  private openJournal(): JournalFile {
    if (this.journal === undefined) {
      throw new SessionError('SESSION_CLOSED', `The session store ${this.files.dir} is not open.`);
    }
    return this.journal;
  }

  private async compact(snapshot: SnapshotToWrite): Promise<void> {
    const { files } = this;
    await writeSnapshotFile(files.snapshot, files.previousSnapshot, snapshot);
    await this.openJournal().rotate(files.previousJournal);
  }

  private contents(snapshot: StoreContents['snapshot'], scan: JournalScan): StoreContents {
    return {
      snapshot,
      records: scan.records,
      snapshotSource: this.files.snapshot,
      journalSource: this.files.journal,
    };
  }
}

/**
 * What tells one snapshot file from the next: a compaction writes a new file and renames it into
 * place, so its inode, size or modification time differ. `none` when there is none.
 */
async function snapshotIdentity(file: string): Promise<string> {
  try {
    const status = await stat(file, { bigint: true });
    return `${status.ino}:${status.size}:${status.mtimeNs}`;
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return 'none';
    throw ioError(`Reading ${file}`, error, 'Nothing was changed.', file);
  }
}
