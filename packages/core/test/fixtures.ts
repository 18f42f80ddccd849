import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { corpusPath, repositoryRoot } from '@civtag/test-corpus';
import { afterEach } from 'vitest';
import type { ImageState } from '../src/state-schema.js';

/** The repository root. */
export const repoRoot = repositoryRoot;

/** The repository's corpus of real files (test/corpus); a missing corpus fails the test. */
export function corpusDir(): string {
  return corpusPath();
}

/** A fresh temporary folder, removed by the returned function. */
export async function makeTempDir(
  name: string,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `civtag-core-${name}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid RGB PNG whose pixels depend on `seed`, so that every seed gives other bytes. `stored`
 * leaves the pixels uncompressed: a file of about width × height × 3 bytes (to fill a disk) whose
 * thumbnail stays small.
 */
export function makePng(
  width: number,
  height: number,
  seed: number,
  options: { stored?: boolean } = {},
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width * 3; x += 1) rows[row + 1 + x] = (x * 7 + y * 13 + seed * 31) & 0xff;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: options.stored === true ? 0 : 6 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** Writes `count` distinct PNGs named `photo-NN.png` into `dir`. */
export async function writePngs(
  dir: string,
  count: number,
  options: { size?: number; firstSeed?: number } = {},
): Promise<string[]> {
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const name = `photo-${String(index + 1).padStart(2, '0')}.png`;
    await writeFile(
      path.join(dir, name),
      makePng(options.size ?? 96, options.size ?? 96, (options.firstSeed ?? 0) + index),
    );
    names.push(name);
  }
  return names;
}

/** A fingerprint of a folder tree: every path with its size, mtime and content hash. */
export async function fingerprintTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      const stats = await stat(full);
      hash.update(`${path.relative(dir, full)}\0${stats.size}\0${stats.mtimeMs}\0${stats.mode}\n`);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) hash.update(await readFile(full));
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

/** Every file under `dir`, as paths relative to it, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * The clean-ups of a test file, run after each test, newest first. Every one runs even after one
 * fails (a dataset that cannot close on a full disk must not leave the disk mounted); the first
 * failure is reported.
 */
export function cleanUpAfterEach(): (() => Promise<void>)[] {
  const cleanUps: (() => Promise<void>)[] = [];
  afterEach(async () => {
    const failures: unknown[] = [];
    for (const cleanUp of cleanUps.splice(0).reverse())
      await cleanUp().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  });
  return cleanUps;
}

/** The state of an image named `file` with `tags`, its caption never written: for caption tests. */
export function imageState(file: string, tags: string[], id = `image-${file}`): ImageState {
  return {
    id,
    file,
    hash: `hash-${file}`,
    size: 1,
    width: 1,
    height: 1,
    format: 'png',
    tags,
    rev: 0,
    excluded: false,
    written: '',
  };
}
