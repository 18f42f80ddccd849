import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, serveInBrowser } from './support/app-session.js';
import { pageProblems } from './support/browser.js';
import { cliPath, requireBuilt } from './support/paths.js';
import { writeTinyImages } from './support/tiny-images.js';

/** More than two of the app's pages (500 records each), so the last page is never the first. */
const IMAGE_COUNT = 1150;

let root: string | undefined;
let session: AppSession | undefined;
let page: Page;
let images: ImageRecord[];

beforeAll(async () => {
  requireBuilt();
  root = await mkdtemp(path.join(tmpdir(), 'civtag-web-large-'));
  const source = path.join(root, 'source');
  await writeTinyImages(source, IMAGE_COUNT, (index) =>
    index % 2 === 0 ? 'numbered, even' : 'numbered, odd',
  );
  const dataset = path.join(root, 'dataset');
  await promisify(execFile)(
    process.execPath,
    [cliPath, 'import', source, '--out', dataset, '--prefix', 'big', '--json'],
    { timeout: 180_000 },
  );
  const made = root;
  session = await serveInBrowser(dataset, {
    cleanUp: () => rm(made, { recursive: true, force: true }),
  });
  ({ images } = session);
  [page] = session.pages as [Page];
  expect(images).toHaveLength(IMAGE_COUNT);
}, 240_000);

afterAll(async () => {
  // The session removes the folder; without one (a failed import), it is removed here.
  if (session !== undefined) await session.close();
  else if (root !== undefined) await rm(root, { recursive: true, force: true });
});

function activeTile(target: Page) {
  return target.locator('#image-grid').getAttribute('aria-activedescendant');
}

describe('a dataset larger than a page', () => {
  it('goes to the last image with End, and back to the first with Home', async () => {
    await page.locator('#image-grid').focus();
    await page.keyboard.press('End');
    await expect.poll(() => activeTile(page)).toBe(`tile-${IMAGE_COUNT - 1}`);
    const last = page.locator(`#tile-${IMAGE_COUNT - 1}`);
    await expect.poll(() => last.getAttribute('data-image-id')).toBe(images.at(-1)!.id);
    expect(await last.getAttribute('class')).toContain('focused');
    await page.keyboard.press('Home');
    await expect.poll(() => activeTile(page)).toBe('tile-0');
    expect(await page.locator('#tile-0').getAttribute('data-image-id')).toBe(images[0]!.id);
  });

  it('goes to the last image of a filter with End', async () => {
    await page.locator('#filter-input').fill('odd');
    await page.keyboard.press('Enter');
    const odd = images.filter((image) => image.tags.includes('odd'));
    await expect
      .poll(() => page.locator('.match-count').textContent())
      .toBe(`${odd.length} matches`);
    await page.locator('#image-grid').focus();
    await page.keyboard.press('End');
    await expect.poll(() => activeTile(page)).toBe(`tile-${odd.length - 1}`);
    await expect
      .poll(() => page.locator(`#tile-${odd.length - 1}`).getAttribute('data-image-id'))
      .toBe(odd.at(-1)!.id);
    await page.locator('#filter-input').fill('');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.match-count').textContent()).toBe('');
  });

  it('shows the last tiles when the grid is scrolled straight to the bottom', async () => {
    await page.locator('#image-grid').evaluate((grid) => grid.scrollTo({ top: grid.scrollHeight }));
    await expect
      .poll(() =>
        page.locator(`.tile[data-image-id="${images.at(-1)!.id}"]`).getAttribute('aria-posinset'),
      )
      .toBe(String(IMAGE_COUNT));
    expect(pageProblems(page)).toEqual([]);
  });

  it('reuses the element of the row that scrolled out and moves none of the others', async () => {
    const grid = page.locator('#image-grid');
    // The grid's row height and columns, from the tiles' positions.
    const { rowHeight, columns } = await grid.evaluate((element) => {
      const tops = [...element.querySelectorAll<HTMLElement>('.tile')].map((tile) =>
        Number(/translate\([^,]+,\s*([\d.]+)px/.exec(tile.style.transform)?.[1]),
      );
      const distinct = [...new Set(tops)].sort((left, right) => left - right);
      return {
        rowHeight: distinct[1]! - distinct[0]!,
        columns: tops.filter((top) => top === distinct[0]).length,
      };
    });
    /** Whether the grid has settled with row `row` at its top and drawn every tile. */
    const drawnAt = (row: number) =>
      grid.evaluate(
        (element, first) =>
          element.querySelector('.tile.placeholder') === null &&
          element.querySelector(`.tile[data-image-id][aria-posinset="${first}"]`) !== null,
        row * columns + 1,
      );
    await grid.evaluate((element, height) => {
      element.scrollTop = 20 * height;
    }, rowHeight);
    await expect.poll(() => drawnAt(20)).toBe(true);
    await grid.evaluate((element) => {
      type KeptTile = HTMLElement & { keptImage?: string };
      const tiles = [...element.querySelectorAll<KeptTile>('.tile[data-image-id]')];
      for (const tile of tiles) tile.keptImage = tile.dataset.imageId;
      const moved = { count: 0 };
      (window as unknown as { movedTiles: typeof moved }).movedTiles = moved;
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes) if ((node as KeptTile).keptImage) moved.count += 1;
      }).observe(element.querySelector('.grid-canvas')!, { childList: true });
    });
    await grid.evaluate((element, height) => {
      element.scrollTop += height;
    }, rowHeight);
    // The window (the view and two rows either side) has moved by a row once row 18 is gone.
    await expect
      .poll(() =>
        grid.evaluate(
          (element, gone) =>
            element.querySelector('.tile.placeholder') === null &&
            element.querySelector(`.tile[aria-posinset="${gone}"]`) === null,
          18 * columns + 1,
        ),
      )
      .toBe(true);
    const after = await grid.evaluate((element) => {
      type KeptTile = HTMLElement & { keptImage?: string };
      const tiles = [...element.querySelectorAll<KeptTile>('.tile[data-image-id]')];
      return {
        moved: (window as unknown as { movedTiles: { count: number } }).movedTiles.count,
        kept: tiles.filter((tile) => tile.keptImage === tile.dataset.imageId).length,
        patched: tiles.filter(
          (tile) => tile.keptImage !== undefined && tile.keptImage !== tile.dataset.imageId,
        ).length,
        tiles: tiles.length,
      };
    });
    expect(after.moved).toBe(0);
    expect(after.patched).toBe(columns);
    expect(after.kept + after.patched).toBe(after.tiles);
    expect(pageProblems(page)).toEqual([]);
  });
});
