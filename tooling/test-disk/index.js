// A real, small file system for tests of a full or read-only disk: a tmpfs mounted for the
// test (the machines and CI run as root). Where mounting is refused the call throws with a
// message that says why and what to do; a test never skips silently.
import { execFile } from 'node:child_process';
import { mkdtemp, open, readdir, rm, rmdir, statfs, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BALLAST_PREFIX = '.ballast-';
const CHUNK = Buffer.alloc(1024 * 1024, 0x5a);

async function mountCommand(args) {
  try {
    await run('mount', args);
  } catch (error) {
    const detail = error?.stderr?.toString().trim() || error?.message || String(error);
    throw new Error(
      `Could not mount a tmpfs for a full-disk test (mount ${args.join(' ')}): ${detail}. ` +
        'These tests need root and a kernel that allows tmpfs mounts (CI runs them as root); ' +
        'run them as root or in a container with CAP_SYS_ADMIN.',
    );
  }
}

/**
 * Mounts a tmpfs of `sizeBytes` on a new temporary folder.
 * @param {{ sizeBytes: number }} options
 */
export async function mountTmpfs({ sizeBytes }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'civtag-disk-'));
  try {
    await mountCommand(['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, 'tmpfs', dir]);
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    throw error;
  }
  let ballast = 0;
  let mounted = true;
  const disk = {
    dir,
    /** Bytes still free for a writer. */
    async freeBytes() {
      const stats = await statfs(dir);
      return stats.bavail * stats.bsize;
    },
    /**
     * Fills the disk with ballast files until at most `leaveBytes` are free (0: full).
     * Returns the bytes written.
     */
    async fill(leaveBytes = 0) {
      let written = 0;
      for (;;) {
        const free = await disk.freeBytes();
        if (free <= leaveBytes) return written;
        const file = path.join(dir, `${BALLAST_PREFIX}${ballast++}`);
        const handle = await open(file, 'w');
        try {
          let left = free - leaveBytes;
          while (left > 0) {
            const size = Math.min(left, CHUNK.length);
            try {
              await handle.write(CHUNK, 0, size);
            } catch (error) {
              if (error?.code === 'ENOSPC') return written;
              throw error;
            }
            left -= size;
            written += size;
          }
        } finally {
          await handle.close();
        }
      }
    },
    /** Removes every ballast file: the disk has its space back. */
    async free() {
      for (const name of await readdir(dir)) {
        if (name.startsWith(BALLAST_PREFIX)) await unlink(path.join(dir, name));
      }
    },
    /** Remounts the file system read-only (`true`) or read-write (`false`). */
    async setReadOnly(readOnly) {
      await mountCommand(['-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir]);
    },
    /** Unmounts and removes the folder; safe to call twice. */
    async unmount() {
      if (!mounted) return;
      mounted = false;
      await run('umount', ['-l', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return disk;
}
