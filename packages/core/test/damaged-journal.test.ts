import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDataset, openDataset } from '../src/index.js';
import { makeTempDir } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  temp = await makeTempDir('damaged-journal');
});
afterAll(async () => {
  await temp.remove();
});

/**
 * A dataset whose last journal line is complete but damaged: two settings ops journaled, the
 * folder copied as a crash would leave it (no compaction, no lock), then a byte of the last
 * line changed.
 */
async function damagedDataset(): Promise<{ dir: string; journal: string; offset: number }> {
  const live = path.join(temp.dir, 'live');
  const dataset = await createDataset(live, { prefix: 'sakura' });
  await dataset.apply({ type: 'settings', changes: { triggerWord: 'sks' } });
  await dataset.apply({ type: 'settings', changes: { triggerWord: 'miku' } });
  const dir = path.join(temp.dir, 'crashed');
  await cp(live, dir, { recursive: true });
  await dataset.close();
  await rm(path.join(dir, '.civtag', 'lock'));
  const journal = path.join(dir, '.civtag', 'journal.jsonl');
  const text = await readFile(journal, 'utf8');
  const lines = text.split('\n');
  expect(lines.at(-2)).toContain('"miku"');
  const offset = Buffer.byteLength(text) - Buffer.byteLength(`${lines.at(-2)}\n`);
  await writeFile(journal, text.replace('"miku"', '"mikU"'));
  return { dir, journal, offset };
}

it('says on open that a damaged last journal line was kept aside, and check goes on saying so', async () => {
  const { dir, journal, offset } = await damagedDataset();
  const dataset = await openDataset(dir);
  try {
    expect(dataset.settings.triggerWord).toBe('sks');
    const file = `${journal}.damaged-at-${offset}`;
    expect(dataset.warnings.map((warning) => warning.details.file)).toEqual([file]);
    expect(dataset.warnings[0]?.message).toContain(`at byte ${offset}`);
    expect(await readFile(file, 'utf8')).toContain('"mikU"');

    const report = await dataset.check();
    const problem = report.problems.find((found) => found.code === 'JOURNAL_LINE_SET_ASIDE');
    expect(problem).toMatchObject({
      severity: 'warning',
      files: [path.join('.civtag', `journal.jsonl.damaged-at-${offset}`)],
    });
    expect(problem?.message).toContain('make it again if you need it, then delete the file');
  } finally {
    await dataset.close();
  }
  // The next open says nothing new; the check still names the file until it is deleted.
  const reopened = await openDataset(dir);
  try {
    expect(reopened.warnings).toEqual([]);
    const report = await reopened.check();
    expect(report.problems.map((found) => found.code)).toContain('JOURNAL_LINE_SET_ASIDE');
  } finally {
    await reopened.close();
  }
});
