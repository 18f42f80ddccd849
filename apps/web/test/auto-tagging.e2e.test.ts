import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AutoTagStatus, ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, serveInBrowser, startAppSession } from './support/app-session.js';
import { openApp, pageProblems, screenshot, tile } from './support/browser.js';
import { captionTags, readCaption } from './support/dataset-fixture.js';
import { allImages, getJson, startServer } from './support/server-process.js';
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
  /** A fourth image, whose file is broken before it is tagged. */
  let broken: ImageRecord;

  beforeAll(async () => {
    fixture = await makeTaggedFixture({ tag: false, extraImages: 1 });
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
    const extra = session.images.find((candidate) => candidate.width === 100);
    if (extra === undefined) throw new Error('no extra image in the dataset');
    broken = extra;
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

  it('proposes at most the number of tags asked for', async () => {
    const { red } = byColour;
    await tile(tabA, red.id).click();
    await expect.poll(() => proposalChip(tabA, 'red').count()).toBe(1);
    const editorProposals = tabA.locator('[data-testid="editor"] .chip.proposal');
    expect(await editorProposals.count()).toBeGreaterThan(1);
    await tabA.getByRole('button', { name: 'Auto-tag' }).click();
    await tabA.getByLabel(/the selection/).check();
    await tabA.getByLabel('Most tags per image').fill('1');
    await tabA.getByLabel('Score again images this tagger scored before').check();
    await tabA.getByRole('button', { name: 'Start tagging' }).click();
    await expect
      .poll(() => progressText(tabA), { timeout: 30_000 })
      .toBe('Tagging done: 1 of 1 image');
    // The highest score stays: the red image's `red`.
    await expect.poll(() => editorProposals.count()).toBe(1);
    expect(await proposalChip(tabA, 'red').count()).toBe(1);
  });

  it('lists the files it could not tag when asked, and tags the rest', async () => {
    // The file breaks on disk after it was imported (its thumbnail was made then).
    await writeFile(path.join(fixture.dataset, broken.file), 'not an image any more');
    const filter = tabA.locator('#filter-input');
    await filter.fill(`id:${broken.id} OR id:${byColour.blue.id}`);
    await filter.press('Enter');
    await expect.poll(async () => (await tileIds(tabA)).length).toBe(2);
    await startTagging(tabA);
    for (const tab of [tabA, tabB]) {
      await expect
        .poll(() => progressText(tab), { timeout: 30_000 })
        .toBe('Tagging done: 2 of 2 images · 1 failed');
    }
    await tabB.getByText('Files not tagged').click();
    const failure = tabB.locator('.failure-list li');
    await expect.poll(() => failure.count()).toBe(1);
    expect(await failure.locator('.failure-path').textContent()).toBe(broken.file);
    expect(await failure.locator('.failure-code').textContent()).toBe('IMAGE_UNREADABLE');
    expect(await failure.locator('.failure-message').textContent()).toContain(broken.file);
    await expect
      .poll(() => tile(tabA, byColour.blue.id).locator('.flag-proposals').count())
      .toBe(1);
    await screenshot(tabB, '33-auto-tag-failed-files');
  });

  it('says why a job failed as a whole, and what to do', async () => {
    const model = path.join(fixture.tagger, 'model.onnx');
    await rename(model, `${model}.away`);
    try {
      await startTagging(tabA);
      for (const tab of [tabA, tabB]) {
        await expect.poll(() => progressText(tab), { timeout: 30_000 }).toMatch(/^Tagging failed/);
        const alert = tab.locator('[data-testid="tagging-bar"] [role="alert"]');
        expect(await alert.textContent()).toContain(model);
        expect(await alert.textContent()).toContain("Put the tagger's folder back");
      }
    } finally {
      await rename(`${model}.away`, model);
    }
    expect(pageProblems(tabA)).toEqual([]);
    expect(pageProblems(tabB)).toEqual([]);
  });
});

describe('auto-tagging into the captions', () => {
  let fixture: TaggedFixture;
  let session: AppSession;
  let page: Page;
  const byColour = {} as Record<keyof typeof COLOUR_WIDTHS, ImageRecord>;
  const caption = async (colour: keyof typeof COLOUR_WIDTHS) =>
    captionTags(await readCaption(fixture.dataset, byColour[colour].file));

  beforeAll(async () => {
    fixture = await makeTaggedFixture({ tag: false });
    session = await serveInBrowser(fixture.dataset, {
      model: fixture.tagger,
      cleanUp: () => rm(fixture.root, { recursive: true, force: true }),
    });
    [page] = session.pages as [Page];
    for (const [colour, width] of Object.entries(COLOUR_WIDTHS)) {
      const image = session.images.find((candidate) => candidate.width === width);
      if (image === undefined) throw new Error(`no ${colour} image in the dataset`);
      byColour[colour as keyof typeof COLOUR_WIDTHS] = image;
    }
  });

  afterAll(() => session?.close());

  async function tagAllImages(mode: RegExp, rescore: boolean): Promise<void> {
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Auto-tag' }).click();
    await page.getByLabel(/all images/).check();
    await page.getByLabel(mode).check();
    if (rescore) await page.getByLabel('Score again images this tagger scored before').check();
    await page.getByRole('button', { name: 'Start tagging' }).click();
  }

  it('fills only the images with no tags, and leaves a hand-tagged one as it was', async () => {
    await tile(page, byColour.green.id).click();
    const input = page.locator('#editor-tag-input');
    await input.fill('hand tag');
    await input.press('Enter');
    await expect.poll(() => caption('green')).toEqual(['hand tag']);

    await tagAllImages(/Fill images with no tags/, false);
    await expect
      .poll(() => progressText(page), { timeout: 30_000 })
      .toMatch(/^Tagging done: 3 of 3 images · 2 captions changed/);
    await expect.poll(() => caption('red')).toContain('red');
    expect(await caption('blue')).toContain('blue');
    expect(await caption('green')).toEqual(['hand tag']);
  });

  it('appends after the hand tags, which stay first and in order, and removes nothing', async () => {
    const red = await caption('red');
    await tagAllImages(/Append after each image/, true);
    await expect
      .poll(() => progressText(page), { timeout: 30_000 })
      .toMatch(/^Tagging done: 3 of 3 images/);
    await expect.poll(async () => (await caption('green')).length).toBeGreaterThan(1);
    const green = await caption('green');
    expect(green[0]).toBe('hand tag');
    expect(green).toContain('green');
    // Every tag the red image had stays, in its order, ahead of anything new.
    expect((await caption('red')).slice(0, red.length)).toEqual(red);
    expect(pageProblems(page)).toEqual([]);
  });
});

describe('a running tagging job', () => {
  const IMAGES = 3 + 29;
  let fixture: TaggedFixture;
  let session: AppSession;
  let tabA: Page;
  let tabB: Page;

  beforeAll(async () => {
    // A tagger of a real one's compute (~34 GFLOPs an image) on 32 images: the job runs for
    // 10–20 s on 2 cores, long enough to be cancelled, and stops within a batch.
    fixture = await makeTaggedFixture({ tag: false, extraImages: IMAGES - 3, compute: 'heavy' });
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
    expect(await progressText(late)).toMatch(new RegExp(`^Tagging: \\d+ of ${IMAGES} images`));
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
        .toMatch(new RegExp(`^Tagging cancelled: \\d+ of ${IMAGES} images`));
    }
    const status = await getJson<AutoTagStatus>(session.server, '/api/autotag');
    expect(status.job?.state).toBe('cancelled');
    expect(status.job?.done).toBeLessThan(IMAGES);
    expect(await tabA.getByRole('button', { name: 'Cancel tagging' }).count()).toBe(0);
    await screenshot(tabA, '32-auto-tag-cancelled');
  });

  it('resumes after the server is killed mid-job: every image is scored exactly once', async () => {
    const scoredEarlier = (await allImages(session.server)).filter(
      (image) => image.proposals !== undefined,
    ).length;
    await startTagging(tabA);
    await expect
      .poll(
        async () => {
          const { job } = await getJson<AutoTagStatus>(session.server, '/api/autotag');
          return job?.state === 'running' && job.scored > 0;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const port = session.server.port;
    session.server.process.kill('SIGKILL');
    await new Promise((resolve) => session.server.process.once('exit', resolve));
    // The session stops the new server at the end.
    session.server = await startServer(fixture.dataset, { port, model: fixture.tagger });
    const journaled = (await allImages(session.server)).filter(
      (image) => image.proposals !== undefined,
    ).length;
    expect(journaled).toBeGreaterThan(scoredEarlier);
    // Back online, the tabs no longer show the dead job as running.
    for (const tab of [tabA, tabB]) {
      await expect.poll(() => progressText(tab), { timeout: 60_000 }).toMatch(/^Tagging failed/);
      expect(await tab.getByRole('button', { name: 'Cancel tagging' }).count()).toBe(0);
    }
    expect(
      await tabA.locator('[data-testid="tagging-bar"] [role="alert"]').textContent(),
    ).toContain('start tagging again');

    await startTagging(tabB);
    await expect.poll(() => progressText(tabA), { timeout: 120_000 }).toMatch(/^Tagging done/);
    const { job } = await getJson<AutoTagStatus>(session.server, '/api/autotag');
    // What was journaled before the kill is skipped, the rest scored once, nothing failed.
    expect(job).toMatchObject({
      state: 'done',
      skipped: journaled,
      scored: IMAGES - journaled,
      failed: [],
    });
    const images = await allImages(session.server);
    expect(images.filter((image) => image.proposals !== undefined)).toHaveLength(IMAGES);
    // Tagging the rest with the heavy model takes a minute on a busy 2-core machine.
  }, 240_000);
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
