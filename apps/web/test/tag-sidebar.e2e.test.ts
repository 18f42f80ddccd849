import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot } from './support/browser.js';

let session: AppSession;
let page: Page;

/**
 * Portraits: `portrait, solo`, three of them with `hat`, one with `rare tag`; landscapes:
 * `landscape, sky`. Counts: portrait, solo, landscape, sky 9; hat 3; rare tag 1.
 */
function captionFor(stem: string): string {
  const number = Number(stem.split('_')[1]);
  if (stem.startsWith('Landscape')) return 'landscape, sky';
  const tags = ['portrait', 'solo'];
  if (number < 3) tags.push('hat');
  if (number === 5) tags.push('rare tag');
  return tags.join(', ');
}

beforeAll(async () => {
  session = await startAppSession({ captionFor });
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

const rows = () => page.getByTestId('tag-list').locator('.tag-row');
const rowTags = () => rows().locator('.tag-name').allTextContents();
const countInFilter = (tag: string) =>
  rows()
    .filter({ has: page.locator('.tag-name', { hasText: new RegExp(`^${tag}$`) }) })
    .getByTestId('count-in-filter')
    .textContent();

describe('the tag list', () => {
  it('lists the rarest tags first when asked, and one click on one filters the grid by it', async () => {
    await expect.poll(rowTags).toHaveLength(6);
    expect((await rowTags()).slice(0, 4).sort()).toEqual(['landscape', 'portrait', 'sky', 'solo']);
    await page.getByLabel('Order the tags').selectOption('least');
    await expect.poll(async () => (await rowTags()).slice(0, 2)).toEqual(['rare tag', 'hat']);
    await rows().first().click();
    await expect.poll(() => page.locator('#filter-input').inputValue()).toBe('"rare tag"');
    await expect.poll(() => page.locator('.tile[data-image-id]').count()).toBe(1);
    await screenshot(page, '42-tag-list-rarest');
  });

  it('shows each tag’s count among the filtered images beside the dataset’s, those tags first', async () => {
    // Filtered to the one image with `rare tag`: its tags first, by their count in the filter.
    await expect
      .poll(() => page.getByTestId('tags-in-filter').textContent())
      .toBe(' · 3 in the filter');
    expect(await countInFilter('portrait')).toBe('1');
    expect(await countInFilter('landscape')).toBe('0');
    const filter = page.locator('#filter-input');
    await filter.fill('hat');
    await filter.press('Enter');
    await page.getByLabel('Order the tags').selectOption('most');
    await expect
      .poll(async () => (await rowTags()).slice(0, 3))
      .toEqual(['portrait', 'solo', 'hat']);
    expect(await countInFilter('hat')).toBe('3');
    expect(await countInFilter('portrait')).toBe('3');
    expect(
      await rows()
        .filter({ has: page.locator('.tag-name', { hasText: /^portrait$/ }) })
        .textContent(),
    ).toContain('3 / 9');
    // The tags the filter's images lack come after, still one click away.
    expect((await rowTags()).slice(3).sort()).toEqual(['landscape', 'rare tag', 'sky']);
    await screenshot(page, '43-tag-list-filter-counts');
  });

  it('orders by name, and keeps the order chosen in a tab opened later', async () => {
    await page.getByLabel('Order the tags').selectOption('name');
    const filter = page.locator('#filter-input');
    await filter.fill('');
    await filter.press('Enter');
    await expect.poll(rowTags).toEqual(['hat', 'landscape', 'portrait', 'rare tag', 'sky', 'solo']);
    expect(await page.getByTestId('tags-in-filter').count()).toBe(0);
    // A tab of the same browser profile, which shares the first one's storage.
    const later = await page.context().newPage();
    await later.goto(session.server.url);
    await expect
      .poll(() => later.getByTestId('tag-list').locator('.tag-name').allTextContents())
      .toEqual(['hat', 'landscape', 'portrait', 'rare tag', 'sky', 'solo']);
    await later.close();
    expect(pageProblems(page)).toEqual([]);
  });
});
