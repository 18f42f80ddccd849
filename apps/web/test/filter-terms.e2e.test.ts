import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, tile } from './support/browser.js';

let session: AppSession;
let page: Page;
let images: ImageRecord[];

beforeAll(async () => {
  session = await startAppSession();
  ({ images } = session);
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

async function shownFor(query: string): Promise<string[]> {
  const filter = page.locator('#filter-input');
  await filter.fill(query);
  await filter.press('Enter');
  await expect.poll(() => page.locator('.selection-count').textContent()).toMatch(/image/);
  return page
    .locator('.tile[data-image-id]')
    .evaluateAll((tiles) => tiles.map((element) => element.getAttribute('data-image-id') ?? ''));
}

const ids = (list: ImageRecord[]) => list.map((image) => image.id).sort();

describe('filter terms on what an image is', () => {
  it('finds images by size, format and file name, as typed in the filter box', async () => {
    const narrow = images.filter((image) => image.width < 768);
    expect(narrow.length).toBeGreaterThan(0);
    expect(narrow.length).toBeLessThan(images.length);
    await expect.poll(async () => (await shownFor('width<768')).sort()).toEqual(ids(narrow));
    const tall = images.filter((image) => image.height >= 1800);
    await expect.poll(async () => (await shownFor('height>=1800')).sort()).toEqual(ids(tall));
    const pngs = images.filter((image) => image.format === 'png');
    await expect.poll(async () => (await shownFor('format:png')).sort()).toEqual(ids(pngs));
    const one = images[4]!;
    await expect.poll(() => shownFor(`name:${one.file}`)).toEqual([one.id]);
  });

  it('finds excluded images with is:excluded, and says where a malformed term is wrong', async () => {
    const image = images[0]!;
    await shownFor('');
    await tile(page, image.id).click();
    await page.keyboard.press('x');
    await expect.poll(() => shownFor('is:excluded')).toEqual([image.id]);
    const filter = page.locator('#filter-input');
    await filter.fill('width<abc');
    await expect.poll(() => page.locator('#filter-error').textContent()).toContain('width');
    expect(pageProblems(page)).toEqual([]);
  });
});
