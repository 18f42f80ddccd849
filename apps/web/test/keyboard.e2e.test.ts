import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot } from './support/browser.js';
import { captionTags, type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import type { RunningServer } from './support/server-process.js';
import { allImages } from './support/server-process.js';
import { waitFor } from './support/wait-for.js';

let session: AppSession & { fixture: DatasetFixture };
let fixture: DatasetFixture;
let server: RunningServer;
let page: Page;
let images: ImageRecord[];

beforeAll(async () => {
  session = await startAppSession({ trigger: 'e2echar' });
  ({ fixture, server, images } = session);
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

function activeElementId(target: Page): Promise<string> {
  return target.evaluate(() => document.activeElement?.id ?? '');
}

describe('keyboard only', () => {
  it('goes from the first tile to an added tag without the mouse', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Skip to the images',
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => activeElementId(page)).toBe('image-grid');
    await expect
      .poll(() => page.locator('#image-grid').getAttribute('aria-activedescendant'))
      .toBe('tile-0');
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('k');
    await expect
      .poll(() => page.locator('#image-grid').getAttribute('aria-activedescendant'))
      .toBe('tile-1');
    const target = images[1]!;
    await page.keyboard.press('Enter');
    await expect.poll(() => activeElementId(page)).toBe('editor-tag-input');
    await page.keyboard.type('keyboard tag');
    await page.keyboard.press('Enter');
    const tags = await waitFor('the tag in the caption file', async () => {
      const current = captionTags(await readCaption(fixture.dataset, target.file));
      return current.includes('keyboard tag') ? current : undefined;
    });
    expect(tags.at(-1)).toBe('keyboard tag');
    // The trigger word stays first on disk and is pinned first among the chips.
    expect(tags[0]).toBe('e2echar');
    const firstChip = page.locator('[data-testid="editor"] .chip').first();
    expect(await firstChip.getAttribute('data-tag')).toBe('e2echar');
    expect(await firstChip.getAttribute('class')).toContain('pinned');
    expect(await firstChip.getAttribute('draggable')).toBe('false');
    await screenshot(page, '07-keyboard-editor');
    await page.keyboard.press('Escape');
    await expect.poll(() => activeElementId(page)).toBe('image-grid');
  });

  it('excludes the focused image with x and restores it with x again', async () => {
    const target = images[1]!;
    await page.keyboard.press('x');
    await waitFor('the image to be excluded', async () => {
      const record = (await allImages(server)).find((image) => image.id === target.id);
      return record?.excluded ? true : undefined;
    });
    await expect.poll(() => page.locator('#tile-1.excluded').count()).toBe(1);
    await page.keyboard.press('x');
    await waitFor('the image to be restored', async () => {
      const record = (await allImages(server)).find((image) => image.id === target.id);
      return record?.excluded === false ? true : undefined;
    });
  });

  it('lists every shortcut on ?', async () => {
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.locator('tr').count()).toBeGreaterThanOrEqual(15);
    await screenshot(page, '08-shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('accumulates a selection with Space while arrows move, and extends it with Shift+arrows', async () => {
    const grid = page.locator('#image-grid');
    const selectedTiles = () =>
      page
        .locator('.tile[aria-selected="true"]')
        .evaluateAll((tiles) => tiles.map((tile) => tile.id).sort());
    // Esc until nothing is open or selected, then start from the first image.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await grid.focus();
    await page.keyboard.press('Home');
    await expect.poll(selectedTiles).toEqual([]);
    for (const key of ['Space', 'ArrowRight', 'Space', 'ArrowRight', 'Space']) {
      await page.keyboard.press(key);
    }
    await expect.poll(selectedTiles).toEqual(['tile-0', 'tile-1', 'tile-2']);
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('3 selected');
    // Moving on changes nothing; Space takes the focused image out again.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await grid.getAttribute('aria-activedescendant')).toBe('tile-1');
    await page.keyboard.press('Space');
    await expect.poll(selectedTiles).toEqual(['tile-0', 'tile-2']);
    // Shift+arrows extend from the anchor (the last image Space touched), keeping the rest.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect
      .poll(selectedTiles)
      .toEqual(['tile-0', 'tile-1', 'tile-2', 'tile-3', 'tile-4', 'tile-5']);
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(selectedTiles).toEqual(['tile-0', 'tile-1', 'tile-2', 'tile-3', 'tile-4']);
    // Esc closes the bulk editor, then clears the selection.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(selectedTiles).toEqual([]);
  });

  it('browses with the arrows in the editor: it shows the focused image, the selection stays', async () => {
    const grid = page.locator('#image-grid');
    const editorTitle = () => page.locator('[data-testid="editor"] .panel-title').textContent();
    await grid.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await expect.poll(editorTitle).toBe(images[0]!.file);
    await page.keyboard.press('ArrowRight');
    await expect.poll(editorTitle).toBe(images[1]!.file);
    expect(await page.locator('#tile-0').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#tile-1').getAttribute('aria-selected')).toBe('false');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('reports no errors in the page', () => {
    expect(pageProblems(page)).toEqual([]);
  });
});
