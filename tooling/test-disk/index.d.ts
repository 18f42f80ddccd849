/** A small tmpfs mounted for one test. */
export interface TestDisk {
  /** The mount point; the file system's root. */
  readonly dir: string;
  /** Bytes still free for a writer. */
  freeBytes(): Promise<number>;
  /** Fills the disk with ballast until at most `leaveBytes` (default 0) are free; returns the bytes written. */
  fill(leaveBytes?: number): Promise<number>;
  /** Removes the ballast: the disk has its space back. */
  free(): Promise<void>;
  /** Remounts read-only (`true`) or read-write (`false`). */
  setReadOnly(readOnly: boolean): Promise<void>;
  /** Unmounts and removes the folder; safe to call twice. */
  unmount(): Promise<void>;
}

/**
 * Mounts a tmpfs of `sizeBytes` on a new temporary folder. Throws, saying why and what to do,
 * where mounting is refused (not root, no CAP_SYS_ADMIN): a test never skips silently.
 */
export function mountTmpfs(options: { sizeBytes: number }): Promise<TestDisk>;
