import type { NearDuplicatesResponse } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import { getJson } from './support/server-process.js';

let session: AppSession;
let page: Page;

beforeAll(async () => {
  // The EXIF-orientation photos: nine files of one landscape and nine of one portrait, each
  // stored turned another way; upright, each nine look alike.
  session = await startAppSession();
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

const dialog = () => page.getByRole('dialog', { name: 'Near-duplicates' });
const groups = () => dialog().getByTestId('near-duplicate-group');

describe('reviewing near-duplicates', () => {
  it('shows each group side by side, keeps one with a click and excludes the others, undoably', async () => {
    const answer = await getJson<NearDuplicatesResponse>(session.server, '/api/near-duplicates');
    expect(answer.groups.length).toBeGreaterThanOrEqual(2);
    const [first] = answer.groups as [string[]];

    await page.getByRole('button', { name: 'Duplicates' }).click();
    await expect.poll(() => groups().count()).toBe(answer.groups.length);
    expect(await dialog().getByTestId('near-duplicate-summary').textContent()).toContain(
      `${answer.groups.length} groups of images that look alike`,
    );
    const firstGroup = groups().filter({ has: page.locator(`[data-image-id="${first[0]}"]`) });
    expect(await firstGroup.locator('.duplicate-card').count()).toBe(first.length);
    await screenshot(page, '45-near-duplicates');

    const kept = first[0]!;
    await firstGroup
      .locator(`[data-image-id="${kept}"]`)
      .getByRole('button', { name: /^Keep / })
      .click();
    // The group is gone: one image of it is left in training.
    await expect.poll(() => groups().count()).toBe(answer.groups.length - 1);
    const after = await getJson<NearDuplicatesResponse>(session.server, '/api/near-duplicates');
    expect(after.groups.flat()).not.toContain(kept);
    for (const id of first.slice(1)) {
      await expect.poll(() => tile(page, id).locator('.flag-excluded').count()).toBe(1);
    }

    await page.keyboard.press('Escape');
    await page.locator('#image-grid').focus();
    await page.keyboard.press('Control+z');
    await expect
      .poll(
        async () =>
          (await getJson<NearDuplicatesResponse>(session.server, '/api/near-duplicates')).groups
            .length,
      )
      .toBe(answer.groups.length);
  });

  it('counts a bulk edit over has:near-duplicates before it is sent', async () => {
    const answer = await getJson<NearDuplicatesResponse>(session.server, '/api/near-duplicates');
    const alike = answer.groups.flat().length;
    const filter = page.locator('#filter-input');
    await filter.fill('has:near-duplicates');
    await filter.press('Enter');
    await expect.poll(() => page.locator('.tile[data-image-id]').count()).toBe(alike);
    await page.getByRole('button', { name: 'Bulk edit all matching…' }).click();
    const panel = page.getByTestId('bulk-panel');
    await panel.locator('#bulk-tags').fill('look alike');
    await expect
      .poll(() => panel.getByTestId('bulk-preview').textContent())
      .toContain(`${alike} of ${alike} images will change`);
    await panel.getByRole('button', { name: 'Close bulk edit (Esc)' }).click();
  });

  it('shows where an image came from in the editor, and finds it by source', async () => {
    const filter = page.locator('#filter-input');
    await filter.fill('source:Portrait_3*');
    await filter.press('Enter');
    await expect.poll(() => page.locator('.tile[data-image-id]').count()).toBe(1);
    await page.locator('.tile[data-image-id]').first().click();
    await expect
      .poll(() => page.getByTestId('image-source').textContent())
      .toBe('from Portrait_3.jpg');
    expect(pageProblems(page)).toEqual([]);
  });
});
