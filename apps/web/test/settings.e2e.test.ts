import type { DatasetResponse, ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import { captionTags, type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import { getJson, type RunningServer } from './support/server-process.js';
import { waitFor } from './support/wait-for.js';

/** Three landscapes write `Blue eyes`, every portrait `blue_eyes`: one tag in two forms. */
function mixedCaption(stem: string): string {
  if (stem.startsWith('Portrait')) return 'portrait, looking at viewer, blue_eyes';
  return ['Landscape_0', 'Landscape_1', 'Landscape_2'].includes(stem)
    ? 'landscape, outdoors, Blue eyes'
    : 'landscape, outdoors, sky';
}

let session: AppSession & { fixture: DatasetFixture };
let fixture: DatasetFixture;
let server: RunningServer;
let pageA: Page;
let pageB: Page;
let images: ImageRecord[];

beforeAll(async () => {
  session = await startAppSession({ trigger: 'e2e_trigger', captionFor: mixedCaption, pages: 2 });
  ({ fixture, server, images } = session);
  [pageA, pageB] = session.pages as [Page, Page];
});

afterAll(() => session?.close());

/** The caption a tile shows (its file name's title): the image's tags, in order. */
async function tileTags(page: Page, imageId: string): Promise<string[]> {
  const title = await tile(page, imageId).locator('.tile-file').getAttribute('title');
  return title === null || title === '' ? [] : title.split(', ');
}

/** Waits until every caption file on disk satisfies `check`. */
async function everyCaption(what: string, check: (tags: string[], image: ImageRecord) => boolean) {
  await waitFor(what, async () => {
    for (const image of images) {
      if (!check(captionTags(await readCaption(fixture.dataset, image.file)), image))
        return undefined;
    }
    return true;
  });
}

describe('dataset settings', () => {
  it('renames the trigger word from one tab, seen live in the other, and undoes it', async () => {
    const photo = images.find((image) => image.tags.includes('portrait'))!;
    expect(photo.tags[0]).toBe('e2e_trigger');

    // Reached from the top bar with the keyboard.
    await pageA.getByRole('button', { name: 'Settings' }).focus();
    await pageA.keyboard.press('Enter');
    const dialog = pageA.getByRole('dialog', { name: 'Dataset settings' });
    await dialog.waitFor();
    const trigger = dialog.getByLabel('Trigger word');
    expect(await trigger.inputValue()).toBe('e2e_trigger');
    expect(await dialog.getByLabel('Name prefix').inputValue()).toBe('e2e');
    expect(await dialog.getByLabel('Kohya repeats').inputValue()).toBe('10');
    expect(await dialog.getByLabel('Spaces').isChecked()).toBe(true);
    await trigger.fill('e2e_style');
    await dialog.getByLabel('Kohya repeats').fill('3');
    await dialog.getByText('Saving renames').waitFor();
    await screenshot(pageA, '11-settings');
    await dialog.getByLabel('Kohya repeats').press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // The other tab: the top bar, the tiles' captions, the export defaults.
    await expect
      .poll(() => pageB.locator('[data-testid="trigger-word"]').textContent())
      .toBe('e2e_style');
    await expect.poll(async () => (await tileTags(pageB, photo.id))[0]).toBe('e2e_style');
    await everyCaption('the new trigger word first in every caption', (tags) =>
      tags.length === 0 ? true : tags[0] === 'e2e_style' && !tags.includes('e2e_trigger'),
    );
    const settings = (await getJson<DatasetResponse>(server, '/api/dataset')).settings;
    expect(settings).toMatchObject({ triggerWord: 'e2e_style', kohyaRepeats: 3 });
    await pageB.getByRole('button', { name: 'Check & export' }).click();
    await pageB.locator('[data-testid="check-report"]').waitFor();
    expect(await pageB.getByLabel('Repeats').inputValue()).toBe('3');
    expect(await pageB.getByLabel('Underscores to spaces').isChecked()).toBe(true);
    expect(await pageB.getByLabel('Escape parentheses').isChecked()).toBe(false);
    await pageB.getByText('3_e2e_style/').waitFor();
    await pageB.keyboard.press('Escape');

    // One Undo puts the trigger word back, in every tab and caption.
    await pageA.locator('#image-grid').focus();
    await pageA.keyboard.press('Control+z');
    await expect
      .poll(() => pageB.locator('[data-testid="trigger-word"]').textContent())
      .toBe('e2e_trigger');
    await expect.poll(() => tileTags(pageB, photo.id)).toEqual(photo.tags);
    await everyCaption('the old trigger word back in every caption', (tags, image) =>
      tags.every((tag, index) => tag === image.tags[index]),
    );
  });

  it('saves only the fields changed in the dialog, keeping what another client changed meanwhile', async () => {
    await pageA.getByRole('button', { name: 'Settings' }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Dataset settings' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Kohya repeats').inputValue()).toBe('10');

    // Another client changes the repeats while this dialog is open.
    const post = (route: string, body: unknown) =>
      fetch(new URL(route, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const other = await post('/api/ops', {
      op: { type: 'settings', changes: { kohyaRepeats: 7 } },
    });
    expect(other.status).toBe(200);
    await expect
      .poll(async () => (await getJson<DatasetResponse>(server, '/api/dataset')).settings)
      .toMatchObject({ kohyaRepeats: 7 });

    await dialog.getByLabel('Name prefix').fill('e2e_next');
    await dialog.getByLabel('Name prefix').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await getJson<DatasetResponse>(server, '/api/dataset')).settings)
      .toMatchObject({ prefix: 'e2e_next', kohyaRepeats: 7 });

    // Both changes undone, for the tests after this one.
    for (let step = 0; step < 2; step += 1) expect((await post('/api/undo', {})).status).toBe(200);
    expect((await getJson<DatasetResponse>(server, '/api/dataset')).settings).toMatchObject({
      prefix: 'e2e',
      kohyaRepeats: 10,
    });
  });

  it('normalises the forms of a tag after previewing how many images change, undoably', async () => {
    const capitalised = images.filter((image) => image.tags.includes('Blue eyes'));
    const lower = images.filter((image) => image.tags.includes('blue eyes'));
    // The captions were read in the dataset's style (spaces): only the case differs now.
    expect(capitalised).toHaveLength(3);
    expect(lower.length).toBeGreaterThan(capitalised.length);

    await pageA.getByRole('button', { name: 'Settings' }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Dataset settings' });
    await dialog.getByRole('button', { name: 'Normalise tag forms…' }).click();
    await dialog.waitFor({ state: 'detached' });
    const panel = pageA.locator('[data-testid="bulk-panel"]');
    expect(await panel.getByLabel('Normalise').isChecked()).toBe(true);
    const preview = panel.locator('[data-testid="bulk-preview"]');
    await expect
      .poll(() => preview.locator('.preview-count').textContent())
      .toBe(`3 of ${images.length} images will change`);
    await expect.poll(() => preview.locator('.preview-samples li').count()).toBe(3);
    await screenshot(pageA, '12-normalise-preview');
    await panel.getByRole('button', { name: 'Apply to 3 images' }).click();

    await everyCaption(
      'one form of blue eyes in every caption',
      (tags) => !tags.includes('Blue eyes'),
    );
    for (const image of capitalised) {
      expect(captionTags(await readCaption(fixture.dataset, image.file))).toContain('blue eyes');
      await expect.poll(() => tileTags(pageB, image.id)).toContain('blue eyes');
    }

    await pageA.locator('#image-grid').focus();
    await pageA.keyboard.press('Control+z');
    await everyCaption('the capitalised form back where it was', (tags, image) =>
      tags.every((tag, index) => tag === image.tags[index]),
    );
    await expect.poll(() => tileTags(pageB, capitalised[0]!.id)).toEqual(capitalised[0]!.tags);
  });

  it('reports no errors in either page', () => {
    expect(pageProblems(pageA)).toEqual([]);
    expect(pageProblems(pageB)).toEqual([]);
  });
});
