import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import { captionTags, type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import type { RunningServer } from './support/server-process.js';
import { allImages } from './support/server-process.js';
import { waitFor } from './support/wait-for.js';

let session: AppSession & { fixture: DatasetFixture };
let fixture: DatasetFixture;
let server: RunningServer;
let page: Page;
let images: ImageRecord[];

/** Waits until the caption file of `image` satisfies `accept`, and returns its tags. */
function captionOf(image: ImageRecord, accept: (tags: string[]) => boolean): Promise<string[]> {
  return waitFor(`the caption of ${image.file}`, async () => {
    const tags = captionTags(await readCaption(fixture.dataset, image.file));
    return accept(tags) ? tags : undefined;
  });
}

beforeAll(async () => {
  session = await startAppSession({ importRoot: true });
  ({ fixture, server, images } = session);
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

describe('editing in the browser', () => {
  it('shows the dataset as a grid with tag counts and flags', async () => {
    expect(images.length).toBeGreaterThanOrEqual(20);
    await expect
      .poll(() => page.locator('.tile[data-image-id]').count())
      .toBeGreaterThanOrEqual(12);
    const small = images.find((image) => image.width < 64);
    expect(small).toBeDefined();
    await tile(page, small!.id).scrollIntoViewIfNeeded();
    await expect.poll(() => tile(page, small!.id).locator('.flag-too-small').count()).toBe(1);
    const tagged = images.find((image) => image.tags.length === 3)!;
    await expect
      .poll(() => tile(page, tagged.id).locator('[data-testid="tag-count"]').textContent())
      .toBe('3');
    await page.locator('.tile').first().scrollIntoViewIfNeeded();
    await screenshot(page, '01-grid');
  });

  it('tags one image and its caption file changes on disk', async () => {
    const image = images.find((candidate) => candidate.tags.includes('sky'))!;
    await tile(page, image.id).click();
    const input = page.locator('#editor-tag-input');
    await input.fill('red scarf');
    await input.press('Enter');
    const tags = await captionOf(image, (current) => current.includes('red scarf'));
    expect(tags).toEqual([...image.tags, 'red scarf']);
    await expect
      .poll(() => page.locator('[data-testid="editor"] .chip[data-tag="red scarf"]').count())
      .toBe(1);
    await input.fill('port');
    await page.locator('.suggestions').waitFor();
    await screenshot(page, '02-editor-autocomplete');
    await input.fill('');
  });

  it('refuses a tag the rules refuse, says why, and writes nothing', async () => {
    const image = images.find((candidate) => candidate.tags.includes('sky'))!;
    const before = await readCaption(fixture.dataset, image.file);
    const input = page.locator('#editor-tag-input');
    await input.fill('x'.repeat(300));
    await input.press('Enter');
    const toast = page.locator('.toast-error');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('VALIDATION');
    expect(await page.locator('[data-testid="editor"] .chip').count()).toBe(image.tags.length + 1);
    expect(await readCaption(fixture.dataset, image.file)).toBe(before);
    // The refused text comes back to be corrected.
    await expect.poll(() => input.inputValue()).toBe('x'.repeat(300));
    await input.fill('');
    await toast.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('removes and reorders tags from the chips, by keyboard and by dragging', async () => {
    const image = images.find((candidate) => candidate.tags.includes('sky'))!;
    const editor = page.locator('[data-testid="editor"]');
    await editor.locator('.chip[data-tag="sky"] .chip-remove').click();
    await captionOf(image, (tags) => !tags.includes('sky'));
    await editor.locator('.chip[data-tag="red scarf"] .chip-label').focus();
    await page.keyboard.press('Alt+ArrowLeft');
    const tags = await captionOf(image, (current) => current.indexOf('red scarf') === 1);
    expect(tags).toEqual(['landscape', 'red scarf', 'outdoors']);
    await editor
      .locator('.chip[data-tag="outdoors"]')
      .dragTo(editor.locator('.chip[data-tag="landscape"]'));
    const dragged = await captionOf(image, (current) => current[0] === 'outdoors');
    expect(dragged).toEqual(['outdoors', 'landscape', 'red scarf']);
  });

  it('bulk-adds a tag to a shift-click range of a filtered view', async () => {
    await page.keyboard.press('Escape');
    // A click on a tag in the sidebar filters by it.
    await page
      .locator('[data-testid="tag-list"]')
      .getByRole('button', { name: /^portrait\b/ })
      .click();
    await expect.poll(() => page.locator('#filter-input').inputValue()).toBe('portrait');
    const portraits = images.filter((image) => image.tags.includes('portrait'));
    await expect
      .poll(() => page.locator('[data-testid="selection-count"]').textContent())
      .toBe(`${portraits.length} images`);
    expect(await page.locator('.match-count').textContent()).toBe(`${portraits.length} matches`);
    // Rows are drawn once the grid has settled on them, a frame or so after the filter.
    const shown = () =>
      page
        .locator('.tile[data-image-id]')
        .evaluateAll((tiles) =>
          tiles.map((element) => element.getAttribute('data-image-id')!).sort(),
        );
    await expect.poll(shown).toEqual(portraits.map((image) => image.id).sort());
    const first = page.locator('.tile[data-image-id]').nth(1);
    const last = page.locator('.tile[data-image-id]').nth(4);
    await first.click();
    await last.click({ modifiers: ['Shift'] });
    await expect
      .poll(() => page.locator('[data-testid="selection-count"]').textContent())
      .toBe('4 selected');
    const chosen = await page
      .locator('.tile.selected')
      .evaluateAll((tiles) => tiles.map((element) => element.getAttribute('data-image-id')!));
    await page.locator('#bulk-tags').fill('bulk tag');
    await expect
      .poll(() => page.locator('[data-testid="bulk-preview"]').textContent())
      .toContain('4 of 4 images will change');
    await screenshot(page, '03-bulk-edit');
    await page.getByRole('button', { name: /^Apply to 4 images/ }).click();
    for (const id of chosen) {
      await captionOf(
        images.find((image) => image.id === id)!,
        (tags) => tags.at(-1) === 'bulk tag',
      );
    }
    const untouched = images.filter((image) => !chosen.includes(image.id));
    for (const image of untouched) {
      expect(captionTags(await readCaption(fixture.dataset, image.file))).not.toContain('bulk tag');
    }
  });

  it('undoes the bulk edit with Ctrl+Z, for every image it touched', async () => {
    await page.locator('#image-grid').focus();
    await page.keyboard.press('Control+z');
    await waitFor('the bulk tag to be gone from every caption', async () => {
      for (const image of images) {
        if (captionTags(await readCaption(fixture.dataset, image.file)).includes('bulk tag'))
          return undefined;
      }
      return true;
    });
    await page.keyboard.press('Control+Shift+Z');
    await waitFor('the bulk tag to be back on 4 captions', async () => {
      let count = 0;
      for (const image of images) {
        if (captionTags(await readCaption(fixture.dataset, image.file)).includes('bulk tag'))
          count += 1;
      }
      return count === 4 ? count : undefined;
    });
  });

  it('renames a tag on every image matching the filter, with the count first', async () => {
    const portraits = images.filter((image) => image.tags.includes('portrait'));
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('button', { name: 'Bulk edit all matching…' }).click();
    const panel = page.locator('[data-testid="bulk-panel"]');
    await panel.getByText('Replace / rename').click();
    await panel.locator('#bulk-from').fill('solo');
    await panel.locator('#bulk-to').fill('alone');
    await expect
      .poll(() => panel.locator('[data-testid="bulk-preview"]').textContent())
      .toContain(`${portraits.length} of ${portraits.length} images will change`);
    await panel.getByRole('button', { name: `Apply to ${portraits.length} images` }).click();
    for (const image of portraits) {
      const tags = await captionOf(image, (current) => current.includes('alone'));
      expect(tags).not.toContain('solo');
      expect(tags.indexOf('alone')).toBe(image.tags.indexOf('solo'));
    }
  });

  it('shows a filter syntax error where it is', async () => {
    await page.locator('#filter-input').fill('portrait AND (solo OR');
    const error = page.locator('#filter-error');
    await error.waitFor();
    await expect.poll(() => error.locator('mark').count()).toBe(1);
    expect(await error.textContent()).toContain('at character 22');
    await screenshot(page, '04-filter-error');
    await page.locator('#filter-input').fill('');
  });

  it('runs the check and offers the export after the report', async () => {
    await page.getByRole('button', { name: 'Check & export' }).click();
    const report = page.locator('[data-testid="check-report"]');
    await report.waitFor();
    expect(await report.textContent()).toContain(`${images.length} images`);
    const href = await page
      .getByRole('link', { name: 'Download Civitai zip' })
      .getAttribute('href');
    const download = await fetch(new URL(href!, server.url));
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await screenshot(page, '05-check-export');
    await page.keyboard.press('Escape');
  });

  it('imports a folder with a progress bar and the list of files that failed', async () => {
    const before = (await allImages(server)).length;
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('pngsuite-batch').click();
    await page.locator('.modal').getByRole('button', { name: 'Import', exact: true }).click();
    const progress = page.locator('[data-testid="import-progress"]');
    await progress.getByText(/^Done/).waitFor({ timeout: 60_000 });
    // How long it took, from the server's measure of its pace.
    expect(await progress.getByTestId('import-pace').textContent()).toMatch(/^Took \d+s$/);
    expect(await progress.locator('.failure-list li').count()).toBe(2);
    await screenshot(page, '06-import');
    await waitFor('the imported images in the dataset', async () =>
      (await allImages(server)).length === before + 2 ? true : undefined,
    );
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.locator('.dataset-name').textContent())
      .toContain(`${before + 2} images`);
  });

  it('reports no errors in the page (CSP refusals included)', () => {
    expect(pageProblems(page)).toEqual([]);
  });
});
