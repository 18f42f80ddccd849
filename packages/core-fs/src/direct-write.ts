import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { systemErrorCode } from './errors.js';
import { bufferLength, FreeBuffers } from './reused-buffers.js';

/**
 * What a write past the page cache (`O_DIRECT`) asks to be aligned to: the memory, the length
 * and the offset. A page covers the logical block size of every common device (512 or 4096).
 */
const ALIGNMENT = 4096;
/** Allocators align large blocks to 16 bytes at least; the aligned start is looked for in such steps. */
const ALLOCATOR_STEP = 16;

/** How far {@link DirectWriteBuffers.writeNew} got; see there. */
type DirectOutcome = 'written' | 'refused' | 'created';

/**
 * Memory for writing files past the page cache, lent to one write at a time: what lets
 * {@link writeNewFileFlushed} copy an image it must flush anyway without the kernel first
 * copying it into cache pages nobody reads soon (on a virtual machine, pages it must also ask
 * the host for). An import makes one and shares it between the images it copies at once.
 *
 * Node.js cannot ask for aligned memory, so each buffer is made a page larger and its aligned
 * start is found once, by the write that first uses it.
 */
export class DirectWriteBuffers {
  readonly #free: FreeBuffers;
  readonly #largest: number;
  /** Set once the disk or the allocator turns writes past the cache down: they are not tried again. */
  #refused = false;
  #written = 0;

  /**
   * @param keep how many free buffers are kept (the files written at once).
   * @param largest files of this size or more are written through the cache, from their own bytes.
   */
  constructor(keep: number, largest: number) {
    this.#free = new FreeBuffers(keep);
    this.#largest = largest;
  }

  /** How many files were written past the cache with these buffers. */
  get writtenPastCache(): number {
    return this.#written;
  }

  /** Writes past the cache are not tried again with these buffers. */
  refuse(): void {
    this.#refused = true;
    this.#free.clear();
  }

  /**
   * Writes `bytes` into the new file `file` past the cache and flushes it: `written`, or how far
   * it got before the size, the disk or the memory turned it down (`refused`: nothing was made;
   * `created`: the file exists, with none of `bytes` in it yet). Any other failure is thrown.
   */
  async writeNew(file: string, bytes: Uint8Array): Promise<DirectOutcome> {
    if (this.#refused || bytes.length === 0 || bytes.length >= this.#largest) return 'refused';
    if (constants.O_DIRECT === undefined) return 'refused';
    let handle: FileHandle;
    try {
      handle = await open(
        file,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DIRECT,
        0o666,
      );
    } catch (error) {
      if (systemErrorCode(error) !== 'EINVAL') throw error;
      this.refuse();
      return 'refused';
    }
    try {
      const whole = Math.ceil(bytes.length / ALIGNMENT) * ALIGNMENT;
      const buffer = await this.#take(whole, handle);
      if (buffer === undefined) return 'created';
      try {
        buffer.set(bytes);
        // The end of the last block is written as zeros, then cut off.
        buffer.fill(0, bytes.length, whole);
        const { bytesWritten } = await handle.write(buffer, 0, whole, 0);
        if (bytesWritten !== whole) {
          // A short write past the cache leaves a misaligned rest: the cache takes it all.
          this.refuse();
          return 'created';
        }
      } finally {
        if (!this.#refused) this.#free.give(buffer);
      }
      await handle.truncate(bytes.length);
      await handle.datasync();
      this.#written += 1;
      return 'written';
    } finally {
      await handle.close();
    }
  }

  /**
   * An aligned buffer of more than `size` bytes, its start found with `handle` (open with
   * `O_DIRECT`) when it is new; `undefined` when no start is aligned, which {@link refuse}s.
   */
  async #take(size: number, handle: FileHandle): Promise<Buffer | undefined> {
    const free = this.#free.take(size);
    if (free !== undefined) return free;
    const length = bufferLength(size);
    const raw = Buffer.allocUnsafeSlow(length + ALIGNMENT);
    const start = await alignedStart(raw, handle);
    if (start === undefined) {
      this.refuse();
      return undefined;
    }
    return raw.subarray(start, start + length);
  }
}

/**
 * The offset in `raw` where aligned memory starts, found by writing one aligned block from each
 * candidate to the start of the file `handle` writes (the kernel turns a misaligned one down
 * with `EINVAL` before doing anything; the block that goes through is written over next).
 * Allocators put large blocks 16 bytes past a page, or at one: those two are tried first.
 */
async function alignedStart(raw: Buffer, handle: FileHandle): Promise<number | undefined> {
  const likely = [ALIGNMENT - ALLOCATOR_STEP, 0];
  const rest = Array.from(
    { length: ALIGNMENT / ALLOCATOR_STEP },
    (_, index) => index * ALLOCATOR_STEP,
  );
  for (const start of [...likely, ...rest.filter((start) => !likely.includes(start))]) {
    try {
      await handle.write(raw, start, ALIGNMENT, 0);
      return start;
    } catch (error) {
      if (systemErrorCode(error) !== 'EINVAL') throw error;
    }
  }
  return undefined;
}

/**
 * Writes `bytes` into the new file `file` (it must not exist), flushed to disk unless `fsync` is
 * false, and closes it. With `buffers` and a flush, the bytes go past the page cache
 * (`O_DIRECT`) where the disk takes that: copied into an aligned buffer, written in whole blocks
 * and cut to their length, then flushed (the length and where the blocks lie). Where it does not
 * (tmpfs on older kernels, some network file systems, macOS and Windows), they go through the
 * cache, as without `buffers`.
 *
 * @throws what opening, writing or flushing throws (`EEXIST` when the file exists, `ENOSPC`…);
 *   the caller removes the file.
 */
export async function writeNewFileFlushed(
  file: string,
  bytes: Uint8Array,
  options: { fsync: boolean; buffers?: DirectWriteBuffers | undefined },
): Promise<void> {
  let created = false;
  if (options.fsync && options.buffers !== undefined) {
    const outcome = await options.buffers.writeNew(file, bytes);
    if (outcome === 'written') return;
    created = outcome === 'created';
  }
  const handle = await open(file, created ? 'r+' : 'wx');
  try {
    await writeAll(handle, bytes);
    // What a refused write past the cache left beyond the end goes.
    if (created) await handle.truncate(bytes.length);
    if (options.fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `bytes` from the start of the file, in as few calls as the system allows. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    if (bytesWritten === 0)
      throw new Error(`the write stopped at byte ${offset} of ${bytes.length}`);
    offset += bytesWritten;
  }
}
