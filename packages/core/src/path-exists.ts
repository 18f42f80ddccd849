import { access } from 'node:fs/promises';

/** True when something exists at `file` (any error reading it counts as "no"). */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
