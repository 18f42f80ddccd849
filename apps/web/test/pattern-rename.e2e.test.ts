import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot } from './support/browser.js';
import { captionTags, type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import { waitFor } from './support/wait-for.js';

let session: AppSession & { fixture: DatasetFixture };
let page: Page;
let images: ImageRecord[];

beforeAll(async () => {
  session = await startAppSession();
  ({ images } = session);
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

const panel = () => page.getByTestId('bulk-panel');
const renameLines = async () =>
  (await panel().getByTestId('pattern-renames').locator('li').allTextContents()).map((line) =>
    line.replace(/\s+/g, ' '),
  );
async function openPatternRename(): Promise<void> {
  if ((await panel().count()) === 0) {
    await page.getByRole('button', { name: 'Bulk edit all…' }).click();
  }
  await panel().getByText('Pattern', { exact: true }).click();
}
const caption = async (image: ImageRecord) =>
  captionTags(await readCaption(session.fixture.dataset, image.file));

describe('renaming tags by a pattern', () => {
  it('previews the tags a pattern renames and the images that change, then applies it as one undo step', async () => {
    const portraits = images.filter((image) => image.tags.includes('portrait'));
    const landscapes = images.filter((image) => image.tags.includes('landscape'));
    await openPatternRename();
    await panel()
      .getByLabel(/Tags matching/)
      .fill('^(PORTRAIT|landscape)$');
    await panel()
      .getByLabel(/become/)
      .fill('$1 orientation');
    const renames = panel().getByTestId('pattern-renames');
    // Case is ignored unless asked otherwise.
    await expect.poll(() => renames.textContent()).toContain('2 tags renamed');
    expect((await renameLines()).sort()).toEqual([
      'landscape → landscape orientation',
      'portrait → portrait orientation',
    ]);
    const changing = portraits.length + landscapes.length;
    await expect
      .poll(() => panel().getByTestId('bulk-preview').textContent())
      .toContain(`${changing} of ${images.length} images will change`);
    await screenshot(page, '44-pattern-rename');
    await panel()
      .getByRole('button', { name: `Apply to ${changing} images` })
      .click();
    const portrait = portraits[0]!;
    await waitFor('the renamed tag on disk', async () =>
      (await caption(portrait)).includes('portrait orientation') ? true : undefined,
    );
    // In the tag's place.
    expect((await caption(portrait)).indexOf('portrait orientation')).toBe(
      portrait.tags.indexOf('portrait'),
    );
    expect(await caption(landscapes[0]!)).toContain('landscape orientation');

    await page.locator('#image-grid').focus();
    await page.keyboard.press('Control+z');
    await waitFor('every rename undone', async () => {
      for (const image of [...portraits, ...landscapes]) {
        if ((await caption(image)).some((tag) => tag.endsWith(' orientation'))) return undefined;
      }
      return true;
    });
    expect(await caption(portrait)).toEqual(portrait.tags);
  });

  it('removes the tags a pattern empties, and says so before', async () => {
    const landscapes = images.filter((image) => image.tags.includes('sky'));
    await openPatternRename();
    await panel()
      .getByLabel(/Tags matching/)
      .fill('^sky$');
    await panel()
      .getByLabel(/become/)
      .fill('');
    await expect.poll(renameLines).toEqual(['sky → removed']);
    await panel()
      .getByRole('button', { name: `Apply to ${landscapes.length} images` })
      .click();
    await waitFor('sky gone from every landscape', async () => {
      for (const image of landscapes) if ((await caption(image)).includes('sky')) return undefined;
      return true;
    });
  });

  it('says what is wrong with a pattern that is not a regular expression, and applies nothing', async () => {
    await panel()
      .getByLabel(/Tags matching/)
      .fill('solo (');
    await expect
      .poll(() => panel().getByRole('alert').textContent())
      .toContain('not a regular expression');
    expect(
      await panel()
        .getByRole('button', { name: /^Apply to/ })
        .isDisabled(),
    ).toBe(true);
    expect(pageProblems(page)).toEqual([]);
  });
});
