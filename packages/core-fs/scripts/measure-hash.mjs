// Measures hashFile (read whole file + one sha256 call) against streaming sha256 with 64 KiB
// and 1 MiB chunks, on warm files of a typical image size. Run after `pnpm build`:
//   node scripts/measure-hash.mjs [files=300] [megabytes=1.5]
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashFile } from '../dist/index.js';

const fileCount = Number(process.argv[2] ?? 300);
const fileBytes = Math.round(Number(process.argv[3] ?? 1.5) * 1024 * 1024);

async function streamed(file, chunkBytes) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: chunkBytes }))
    hash.update(chunk);
  return hash.digest('hex');
}

const strategies = {
  'hashFile (readFile + sha256)': hashFile,
  'stream, 64 KiB chunks': (file) => streamed(file, 64 * 1024),
  'stream, 1 MiB chunks': (file) => streamed(file, 1024 * 1024),
};

const folder = await mkdtemp(path.join(tmpdir(), 'civtag-hash-'));
try {
  const files = [];
  for (let index = 0; index < fileCount; index += 1) {
    const file = path.join(folder, `image_${index}.bin`);
    await writeFile(file, randomBytes(fileBytes));
    files.push(file);
  }
  for (const file of files) await readFile(file); // warm the page cache
  const expected = await hashFile(files[0]);
  const results = Object.fromEntries(Object.keys(strategies).map((name) => [name, []]));
  for (let round = 0; round < 5; round += 1) {
    for (const [name, strategy] of Object.entries(strategies)) {
      if ((await strategy(files[0])) !== expected)
        throw new Error(`${name} gives a different hash`);
      const started = process.hrtime.bigint();
      for (const file of files) await strategy(file);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      results[name].push((fileCount * fileBytes) / 1024 / 1024 / seconds);
    }
  }
  console.log(
    `${fileCount} files of ${(fileBytes / 1024 / 1024).toFixed(1)} MiB, warm, one at a time, median of 5:`,
  );
  for (const [name, rates] of Object.entries(results)) {
    const median = rates.sort((left, right) => left - right)[2];
    console.log(`  ${name.padEnd(30)} ${median.toFixed(0)} MiB/s`);
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
