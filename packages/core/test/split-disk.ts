import { execFile } from 'node:child_process';
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';

const run = promisify(execFile);

/**
 * Shows the folder `from` at `to` too (`mount --bind`), so that a folder of a dataset lies on a
 * disk of its own; returns the function that takes it away again. Throws, saying what to do,
 * where mounting is refused: the test fails rather than skip.
 */
export async function bindMount(from: string, to: string): Promise<() => Promise<void>> {
  await mkdir(to, { recursive: true });
  try {
    await run('mount', ['--bind', from, to]);
  } catch (error) {
    throw new Error(
      `Could not bind ${from} onto ${to} (${(error as Error).message}): these tests need root and mount rights, as CI has.`,
    );
  }
  let bound = true;
  return async () => {
    if (!bound) return;
    bound = false;
    await run('umount', ['-l', to]).catch(() => undefined);
  };
}

/**
 * A dataset whose `.civtag` folder (journal, snapshot, lock) lies on a disk of its own: the
 * caption files' disk can then be filled or made read-only while the journal still takes ops.
 * Call after the dataset was made and closed; its `.civtag` is copied onto the new disk.
 */
export async function moveStateToOwnDisk(
  datasetDir: string,
  sizeBytes = 8 * 1024 * 1024,
): Promise<{ disk: TestDisk; release: () => Promise<void> }> {
  const disk = await mountTmpfs({ sizeBytes });
  const stateDir = path.join(datasetDir, '.civtag');
  for (const name of await readdir(stateDir)) {
    await cp(path.join(stateDir, name), path.join(disk.dir, name), { recursive: true });
  }
  const unbind = await bindMount(disk.dir, stateDir);
  return {
    disk,
    release: async () => {
      await unbind();
      await disk.unmount();
    },
  };
}
