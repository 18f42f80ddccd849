import { constants } from 'node:fs';
import { type FileHandle, open, readFile, rename } from 'node:fs/promises';
import nodePath from 'node:path';
import type { CivtagError } from '@civtag/api-models';
import { type JournalScan, scanJournal } from './scan-journal.js';
import { ioError, SessionError, systemErrorCode } from './session-error.js';
import { syncDirectory } from './sync-directory.js';

const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;

/**
 * The append-only journal file, kept open for the life of the session. Every append is one
 * write of one whole line followed by `fdatasync`; a failed append is cut back off the file so
 * that the next line starts on a clean boundary.
 */
export class JournalFile {
  /** Bytes of good lines: where the file ends when no append is in flight. */
  private bytes: number;
  /** Set when the file could not be cut back after a failed append: nothing more may be written. */
  private broken: SessionError | undefined;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    bytes: number,
  ) {
    this.bytes = bytes;
  }

  /**
   * Reads the journal at `path` (none yet counts as empty) without changing it.
   *
   * @throws {SessionError} `SESSION_CORRUPT` when a line other than the last is damaged;
   *   `IO_ERROR` when the file cannot be read.
   */
  static async read(path: string): Promise<JournalScan> {
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch (error) {
      if (systemErrorCode(error) !== 'ENOENT') throw ioError(`Reading ${path}`, error, '', path);
      content = Buffer.alloc(0);
    }
    return scanJournal(content, path);
  }

  /**
   * Opens the journal read as `scan` for appending, cutting off the torn last line it had.
   *
   * @throws {SessionError} `IO_ERROR` when the file cannot be opened or cut.
   */
  static async open(path: string, scan: JournalScan): Promise<JournalFile> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, APPEND_FLAGS);
      await syncDirectory(nodePath.dirname(path));
      if (scan.tornBytes > 0) {
        await handle.truncate(scan.goodBytes);
        await handle.datasync();
      }
    } catch (error) {
      await handle?.close().catch(() => undefined);
      throw ioError(`Opening ${path} for appending`, error, 'The journal was not changed.', path);
    }
    return new JournalFile(path, handle, scan.goodBytes);
  }

  /** Bytes of good lines in the file. */
  get size(): number {
    return this.bytes;
  }

  /**
   * Appends `line` and makes it durable. When this rejects, the line is not in the journal:
   * the file was cut back to where it was, or (if even that failed) the journal refuses every
   * later append with the same error, so that a half-written line can never be followed.
   *
   * @throws {SessionError} `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR` with `details.path`.
   */
  async append(line: string): Promise<void> {
    if (this.broken !== undefined) throw this.broken;
    const data = Buffer.from(line, 'utf8');
    let written = 0;
    try {
      while (written < data.length) {
        const { bytesWritten } = await this.handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
      await this.handle.datasync();
    } catch (error) {
      // A write call that fails wrote nothing: when the first one fails (a disk that turned
      // read-only, a full disk with no room left in the file's last block) the file is as it
      // was, and there is nothing to cut, which on a read-only disk would fail and stop the
      // journal until a reopen. Once anything was written, it is cut back off.
      if (written === 0) throw this.refused(error);
      await this.cutBack(error);
    }
    this.bytes += data.length;
  }

  /** The error of an append that left the file as it was. */
  private refused(error: unknown): CivtagError {
    return ioError(
      `Appending to ${this.path}`,
      error,
      'The change was not saved and not applied.',
      this.path,
    );
  }

  private async cutBack(error: unknown): Promise<never> {
    try {
      await this.handle.truncate(this.bytes);
      await this.handle.datasync();
    } catch (cutError) {
      this.broken = new SessionError(
        'IO_ERROR',
        `Appending to ${this.path} failed (${systemErrorCode(error) ?? String(error)}) and the ` +
          `partial line could not be removed (${systemErrorCode(cutError) ?? String(cutError)}). ` +
          'The session accepts no more changes; close it and open it again.',
        { cause: error, details: { path: this.path } },
      );
      throw this.broken;
    }
    throw this.refused(error);
  }

  /**
   * Moves the whole journal aside to `previousPath` (replacing what was there) and starts an
   * empty one. Called once a snapshot holds everything the journal says. When this fails the
   * journal is still the one in use. A journal that refused appends after a failed cut-back is
   * usable again once rotated: the half-written line went aside with the old file.
   *
   * @throws {SessionError} `IO_ERROR`.
   */
  async rotate(previousPath: string): Promise<void> {
    try {
      await rename(this.path, previousPath);
    } catch (error) {
      throw ioError(
        `Moving ${this.path} aside`,
        error,
        'The journal is unchanged and still in use.',
        this.path,
      );
    }
    let handle: FileHandle;
    try {
      handle = await open(this.path, APPEND_FLAGS);
      await syncDirectory(nodePath.dirname(this.path));
    } catch (error) {
      await rename(previousPath, this.path).catch((renameError: unknown) => {
        this.broken = ioError(
          `Putting ${this.path} back`,
          renameError,
          'Close the session.',
          this.path,
        );
      });
      throw ioError(
        `Starting a new ${this.path}`,
        error,
        'The old journal is still in use.',
        this.path,
      );
    }
    const old = this.handle;
    this.handle = handle;
    this.bytes = 0;
    this.broken = undefined;
    await old.close().catch(() => undefined);
  }

  /** Closes the file; later appends fail. */
  async close(): Promise<void> {
    this.broken ??= new SessionError('SESSION_CLOSED', `The journal ${this.path} is closed.`);
    await this.handle.close();
  }
}
