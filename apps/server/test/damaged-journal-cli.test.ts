import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeDataset, scratchFolder } from './harness.js';
import { runCliInProcess } from './run-cli-in-process.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

it('says once that a damaged last journal line was kept aside, and check names the file after', async () => {
  const root = await scratchFolder(cleanUps);
  const dataset = await makeDataset(root, 2);
  await dataset.apply({ type: 'settings', changes: { triggerWord: 'miku' } });
  // Copied while open: the folder as a crash leaves it, its last edit journaled and not compacted.
  const dir = path.join(root, 'crashed');
  await cp(path.join(root, 'dataset'), dir, { recursive: true });
  await dataset.close();
  await rm(path.join(dir, '.civtag', 'lock'));
  const journal = path.join(dir, '.civtag', 'journal.jsonl');
  const text = await readFile(journal, 'utf8');
  expect(text).toContain('"miku"');
  await writeFile(journal, text.replace('"miku"', '"mIku"'));
  const offset =
    Buffer.byteLength(text) - Buffer.byteLength(`${text.trimEnd().split('\n').at(-1)}\n`);

  const repair = await runCliInProcess(['check', dir, '--repair']);
  expect(repair.stderr).toContain(`at byte ${offset}`);
  expect(repair.stderr).toContain(`${journal}.damaged-at-${offset}`);

  const check = await runCliInProcess(['check', dir]);
  expect(check.stderr).not.toContain('at byte');
  expect(check.stdout).toContain(`journal.jsonl.damaged-at-${offset}`);
  expect(check.stdout).toMatch(/damaged journal line/);
});
