import { rm } from 'node:fs/promises';
import type { AutoTagStatus, ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, serveInBrowser, startAppSession } from './support/app-session.js';
import { openApp, pageProblems, screenshot, tile } from './support/browser.js';
import { readCaption } from './support/dataset-fixture.js';
import { getJson } from './support/server-process.js';
import { COLOUR_WIDTHS, makeTaggedFixture, type TaggedFixture } from './support/tagged-fixture.js';

const tileIds = (page: Page) =>
  page
    .locator('.tile[data-image-id]')
    .evaluateAll((tiles) => tiles.map((element) => element.getAttribute('data-image-id')));
const progressText = (page: Page) => page.getByTestId('tagging-progress').textContent();
const proposalChip = (page: Page, tag: string) =>
  page.locator(`[data-testid="editor"] .chip.proposal[data-proposal="${tag}"]`);

async function startTagging(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Auto-tag' }).click();
  await page.getByRole('button', { name: 'Start tagging' }).click();
}

describe('auto-tagging from the browser with the server’s tagger', () => {
  let fixture: TaggedFixture;
  let session: AppSession;
  let tabA: Page;
  let tabB: Page;
  const byColour = {} as Record<keyof typeof COLOUR_WIDTHS, ImageRecord>;

  beforeAll(async () => {
    fixture = await makeTaggedFixture({ tag: false });
    session = await serveInBrowser(fixture.dataset, {
      model: fixture.tagger,
      pages: 2,
      cleanUp: () => rm(fixture.root, { recursive: true, force: true }),
    });
    [tabA, tabB] = session.pages as [Page, Page];
    for (const [colour, width] of Object.entries(COLOUR_WIDTHS)) {
      const image = session.images.find((candidate) => candidate.width === width);
      if (image === undefined) throw new Error(`no ${colour} image in the dataset`);
      byColour[colour as keyof typeof COLOUR_WIDTHS] = image;
    }
  });

  afterAll(() => session?.close());

  it('tags the filter from one tab; the other sees the progress and both show the proposals', async () => {
    const { red, green, blue } = byColour;
    expect(await tile(tabA, red.id).locator('.flag-proposals').count()).toBe(0);
    const filter = tabA.locator('#filter-input');
    await filter.fill(`id:${red.id} OR id:${green.id}`);
    await filter.press('Enter');
    await expect.poll(async () => (await tileIds(tabA)).sort()).toEqual([red.id, green.id].sort());

    await tabA.getByRole('button', { name: 'Auto-tag' }).click();
    expect(await tabA.getByLabel(/every image matching the filter/).isChecked()).toBe(true);
    await screenshot(tabA, '30-auto-tag-dialog');
    await tabA.getByRole('button', { name: 'Start tagging' }).click();

    for (const tab of [tabB, tabA]) {
      await expect
        .poll(() => progressText(tab), { timeout: 30_000 })
        .toBe('Tagging done: 2 of 2 images');
      await expect.poll(() => tile(tab, red.id).locator('.flag-proposals').count()).toBe(1);
      await tile(tab, red.id).click();
      await expect.poll(() => proposalChip(tab, 'red').count()).toBe(1);
      expect(await tab.locator('[data-testid="editor"] [data-testid="rating"]').count()).toBe(1);
    }
    // The image the filter left out was not scored.
    expect(await tile(tabB, blue.id).locator('.flag-proposals').count()).toBe(0);
    // `propose` writes no caption.
    expect(await readCaption(fixture.dataset, red.file)).toBe('');
    await screenshot(tabB, '31-auto-tag-done-other-tab');
  });

  it('shows the last job to a tab opened after it', async () => {
    const late = await openApp(session.browser, session.server.url);
    await expect.poll(() => progressText(late)).toBe('Tagging done: 2 of 2 images');
    await late.context().close();
  });

  it('finds the images with pending proposals with has:proposals', async () => {
    const { red, green, blue } = byColour;
    await tabB.getByRole('button', { name: 'Show images with proposals' }).click();
    await expect.poll(() => tabB.locator('#filter-input').inputValue()).toBe('has:proposals');
    await expect.poll(async () => (await tileIds(tabB)).sort()).toEqual([red.id, green.id].sort());
    expect(await tileIds(tabB)).not.toContain(blue.id);
    expect(await tabB.locator('#filter-input').getAttribute('placeholder')).toContain(
      'has:proposals',
    );
    expect(pageProblems(tabA)).toEqual([]);
    expect(pageProblems(tabB)).toEqual([]);
  });
});

describe('a running tagging job', () => {
  const IMAGES = 3 + 120;
  let fixture: TaggedFixture;
  let session: AppSession;
  let tabA: Page;
  let tabB: Page;

  beforeAll(async () => {
    // The tagger of realistic compute (hundreds of MFLOPs an image) on 123 images: the job
    // runs long enough to be cancelled.
    fixture = await makeTaggedFixture({ tag: false, extraImages: 120, compute: 'realistic' });
    session = await serveInBrowser(fixture.dataset, {
      model: fixture.tagger,
      pages: 2,
      cleanUp: () => rm(fixture.root, { recursive: true, force: true }),
    });
    [tabA, tabB] = session.pages as [Page, Page];
  });

  afterAll(() => session?.close());

  it('shows a running job to a tab opened during it, refuses a second job, and stops when cancelled from another tab', async () => {
    await startTagging(tabA);
    const cancel = tabB.getByRole('button', { name: 'Cancel tagging' });
    await cancel.waitFor();
    // A tab opened during the job shows it running, with its Cancel.
    const late = await openApp(session.browser, session.server.url);
    await late.getByRole('button', { name: 'Cancel tagging' }).waitFor();
    expect(await progressText(late)).toMatch(/^Tagging: \d+ of 123 images/);
    await late.context().close();
    await startTagging(tabB);
    await tabB
      .locator('.toast', { hasText: 'A tagging job is already running' })
      .waitFor({ timeout: 10_000 });
    await tabB.keyboard.press('Escape');
    await cancel.click();
    for (const tab of [tabA, tabB]) {
      await expect
        .poll(() => progressText(tab), { timeout: 30_000 })
        .toMatch(/^Tagging cancelled: \d+ of 123 images/);
    }
    const status = await getJson<AutoTagStatus>(session.server, '/api/autotag');
    expect(status.job?.state).toBe('cancelled');
    expect(status.job?.done).toBeLessThan(IMAGES);
    expect(await tabA.getByRole('button', { name: 'Cancel tagging' }).count()).toBe(0);
    await screenshot(tabA, '32-auto-tag-cancelled');
  });
});

describe('auto-tagging without a tagger', () => {
  let session: AppSession;

  beforeAll(async () => {
    session = await startAppSession();
  });

  afterAll(() => session?.close());

  it('says how to start the server with one', async () => {
    const [page] = session.pages as [Page];
    await page.getByRole('button', { name: 'Auto-tag' }).click();
    await expect
      .poll(() => page.getByTestId('tagger-hint').textContent())
      .toContain('start civtag serve with --model DIR');
    expect(await page.getByRole('button', { name: 'Start tagging' }).count()).toBe(0);
  });
});
