import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CheckReport, ImageRecord } from '@civtag/api-models';
import { zipEntries } from '@civtag/test-zip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot } from './support/browser.js';
import { type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import { getJson, type RunningServer } from './support/server-process.js';

let session: AppSession & { fixture: DatasetFixture };
let fixture: DatasetFixture;
let server: RunningServer;
let page: Page;
let images: ImageRecord[];

beforeAll(async () => {
  session = await startAppSession();
  ({ fixture, server, images } = session);
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

async function openCheck(): Promise<void> {
  await page.getByRole('button', { name: 'Check & export' }).click();
  await page.locator('[data-testid="check-report"]').waitFor();
}

function problem(code: string) {
  return page.locator(`.problem[data-code="${code}"]`);
}

/** The ids of the images the grid shows now. */
function tileIds(): Promise<string[]> {
  return page
    .locator('.tile[data-image-id]')
    .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-image-id') ?? ''));
}

describe('the Check & export dialog', () => {
  it('says "Ready to train" without errors, and what to do about each warning', async () => {
    const report = await getJson<CheckReport>(server, '/api/check');
    const untagged = report.problems.find((found) => found.code === 'EMPTY_CAPTION');
    expect(report.ok).toBe(true);
    expect(untagged?.imageIds?.length).toBeGreaterThan(1);
    await openCheck();
    const warnings = report.problems.length;
    expect(await page.locator('[data-testid="check-verdict"]').textContent()).toBe(
      `✓ Ready to train, with ${warnings} warnings worth a look · ${images.length} images`,
    );
    expect(await problem('EMPTY_CAPTION').textContent()).toContain(
      `${untagged!.imageIds!.length} images have no tags. Tag them, or exclude them from training.`,
    );
    await screenshot(page, '07-check-warnings');
  });

  it('shows exactly the images a problem names when its button is pressed', async () => {
    const report = await getJson<CheckReport>(server, '/api/check');
    const untagged = report.problems.find((found) => found.code === 'EMPTY_CAPTION')!.imageIds!;
    await problem('EMPTY_CAPTION')
      .getByRole('button', { name: `Show ${untagged.length} images` })
      .click();
    await page.locator('.modal').waitFor({ state: 'detached' });
    await expect.poll(async () => (await tileIds()).sort()).toEqual([...untagged].sort());
    expect(await page.locator('#filter-input').inputValue()).toBe(
      untagged.map((id) => `id:${id}`).join(' OR '),
    );
    await screenshot(page, '08-problem-images');
    await page.locator('#filter-input').fill('');
    await page.locator('#filter-input').press('Enter');
    await expect.poll(async () => (await tileIds()).length).toBe(images.length);
  });

  it('downloads the kohya layout with the repeats and tag style chosen', async () => {
    const image = images.find((candidate) => candidate.tags.includes('portrait'))!;
    const op = { type: 'set', imageId: image.id, tags: ['hatsune_miku_(cosplay)', 'long_hair'] };
    const applied = await fetch(new URL('/api/ops', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op }),
    });
    expect(applied.status).toBe(200);

    await openCheck();
    const repeats = page.getByLabel('Repeats');
    expect(await repeats.inputValue()).toBe('10');
    await repeats.fill('0');
    await page.getByText('Repeats must be a whole number from 1 to 99,999.').waitFor();
    expect(await page.getByRole('button', { name: 'Download kohya zip' }).isDisabled()).toBe(true);
    await repeats.fill('3');
    await page.getByLabel('Escape parentheses').check();
    await page.getByLabel('Underscores to spaces').check();
    await page.getByText('3_e2e/').waitFor();
    await screenshot(page, '09-kohya-export');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download kohya zip' }).click(),
    ]);
    const entries = zipEntries(await readFile((await download.path())!));
    expect([...entries.keys()].filter((name) => !name.endsWith('.txt')).sort()).toEqual(
      images.map((record) => `3_e2e/${record.file}`).sort(),
    );
    const caption = `3_e2e/${image.file.replace(/\.[^.]+$/, '.txt')}`;
    expect(entries.get(caption)?.toString('utf8')).toBe('hatsune miku \\(cosplay\\), long hair');

    const civitai = await page
      .getByRole('link', { name: 'Download Civitai zip' })
      .getAttribute('href');
    const zip = zipEntries(
      Buffer.from(await (await fetch(new URL(civitai!, server.url))).arrayBuffer()),
    );
    // The Civitai zip was not asked for a tag style: its captions are the dataset's own.
    expect(zip.get(image.file.replace(/\.[^.]+$/, '.txt'))?.toString('utf8')).toBe(
      await readCaption(fixture.dataset, image.file),
    );
    await page.keyboard.press('Escape');
  });

  it('never says "Ready to train" while an error would stop the trainer, and links the error to its image', async () => {
    const missing = images.find((candidate) => candidate.tags.includes('landscape'))!;
    await rm(path.join(fixture.dataset, missing.file));
    await openCheck();
    const verdict = page.locator('[data-testid="check-verdict"]');
    expect(await verdict.textContent()).toBe(
      `✕ Not ready to train: fix the error below first · ${images.length} images`,
    );
    expect(await verdict.textContent()).not.toContain('Ready to train,');
    const error = problem('FILE_MISSING');
    expect(await error.textContent()).toContain(
      '1 image is missing on disk. Put the file back in the dataset folder, or exclude the image.',
    );
    expect(await page.locator('.problem').first().getAttribute('data-code')).toBe('FILE_MISSING');
    await screenshot(page, '10-check-errors');
    await error.getByRole('button', { name: 'Show 1 image' }).click();
    await expect.poll(tileIds).toEqual([missing.id]);
  });

  it('raises no page errors', () => {
    expect(pageProblems(page)).toEqual([]);
  });
});
