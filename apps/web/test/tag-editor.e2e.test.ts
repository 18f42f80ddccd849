import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import { captionTags, type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import { waitFor } from './support/wait-for.js';

const TRIGGER = 'e2echar';
/** A small Danbooru-style vocabulary: tag, category, count, aliases. */
const VOCABULARY_CSV = [
  'portrait,0,100000,',
  'solo,0,3426446,',
  'sky,0,80000,',
  'breasts,0,500000,"boobs"',
  'boots,0,300000,',
  'bow,0,400000,',
  'hatsune_miku,4,122373,"miku_hatsune"',
  'touhou,3,913424,',
  'wlop,1,5000,',
  'highres,5,5256195,',
].join('\n');

let session: AppSession & { fixture: DatasetFixture };
let fixture: DatasetFixture;
let page: Page;
let images: ImageRecord[];

/** Waits until the caption file of `image` holds exactly `tags`. */
function captionIs(image: ImageRecord, tags: readonly string[]): Promise<string[]> {
  return waitFor(`the caption of ${image.file} to be ${tags.join(', ')}`, async () => {
    const current = captionTags(await readCaption(fixture.dataset, image.file));
    return current.join('\n') === tags.join('\n') ? current : undefined;
  });
}

/** The text of the newest info toast that starts with `prefix`. */
function toastStartingWith(prefix: string) {
  return page.locator('.toast-info span', { hasText: prefix }).last();
}

/** Dismisses the toasts, so that a screenshot shows what is under them. */
async function dismissToasts(): Promise<void> {
  // In the page at once: a toast may go by itself between a lookup and a click.
  await page.evaluate(() => {
    for (const button of document.querySelectorAll<HTMLButtonElement>('.toast button'))
      button.click();
  });
}

beforeAll(async () => {
  session = await startAppSession({ trigger: TRIGGER, vocabularyCsv: VOCABULARY_CSV });
  ({ fixture, images } = session);
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

describe('the tag editor', () => {
  const editor = () => page.locator('[data-testid="editor"]');
  const portrait = () => images.filter((image) => image.tags.includes('portrait'))[0]!;

  it('lands Shift+Tab from the tag input on the last chip, where Delete removes it; Ctrl+Z says what it undid', async () => {
    const image = portrait();
    expect(image.tags).toEqual([TRIGGER, 'portrait', 'solo', 'looking at viewer']);
    await tile(page, image.id).click();
    await page.locator('#editor-tag-input').focus();
    await page.keyboard.press('Shift+Tab');
    const focusedChip = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return `${element?.className} ${element?.closest<HTMLElement>('.chip')?.dataset.tag}`;
      });
    await expect.poll(focusedChip).toBe('chip-label looking at viewer');
    await page.keyboard.press('Delete');
    await captionIs(image, [TRIGGER, 'portrait', 'solo']);
    await page.keyboard.press('Control+z');
    await expect
      .poll(() => toastStartingWith('Undone').textContent())
      .toBe("Undone: removed 'looking at viewer' from 1 image");
    await captionIs(image, image.tags);
    await page.keyboard.press('Control+Shift+Z');
    await expect
      .poll(() => toastStartingWith('Redone').textContent())
      .toBe("Redone: removed 'looking at viewer' from 1 image");
    await captionIs(image, [TRIGGER, 'portrait', 'solo']);
    await page.keyboard.press('Control+z');
    await captionIs(image, image.tags);
  });

  it('renames a chip in place with a click, keeping its position, as one undoable edit', async () => {
    const image = portrait();
    await editor().locator('.chip[data-tag="solo"] .chip-label').click();
    const field = editor().locator('.chip-edit');
    await expect.poll(() => field.inputValue()).toBe('solo');
    await field.fill('alone');
    await dismissToasts();
    await screenshot(page, '40-chip-edit');
    await page.keyboard.press('Enter');
    await captionIs(image, [TRIGGER, 'portrait', 'alone', 'looking at viewer']);
    // The focus stays on the renamed chip.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('alone');
    await page.keyboard.press('Control+z');
    await expect
      .poll(() => toastStartingWith('Undone').textContent())
      .toBe("Undone: renamed 'solo' to 'alone' on 1 image");
    await captionIs(image, image.tags);
  });

  it('edits a chip with Enter and keeps it on Esc; the trigger word is not edited', async () => {
    const image = portrait();
    await editor().locator('.chip[data-tag="portrait"] .chip-label').focus();
    await page.keyboard.press('Enter');
    const field = editor().locator('.chip-edit');
    await field.waitFor();
    await page.keyboard.type(' photo');
    await page.keyboard.press('Escape');
    await expect.poll(() => field.count()).toBe(0);
    // Esc left the field, not the editor.
    expect(await editor().count()).toBe(1);
    await page.keyboard.press('Enter');
    await field.waitFor();
    await page.keyboard.press('End');
    await page.keyboard.type(' photo');
    await page.keyboard.press('Enter');
    await captionIs(image, [TRIGGER, 'portrait photo', 'solo', 'looking at viewer']);
    await editor().locator(`.chip[data-tag="${TRIGGER}"] .chip-label`).click();
    expect(await field.count()).toBe(0);
    await page.keyboard.press('Control+z');
    await captionIs(image, image.tags);
  });

  it('clears the tags of one image but the trigger word, and Undo brings every one back', async () => {
    const image = portrait();
    await editor().getByRole('button', { name: 'Clear tags' }).click();
    await captionIs(image, [TRIGGER]);
    await page.keyboard.press('Control+z');
    await expect
      .poll(() => toastStartingWith('Undone').textContent())
      .toBe("Undone: removed 'portrait', 'solo' and 'looking at viewer' from 1 image");
    await captionIs(image, image.tags);
  });

  it('clears the tags of a selection as one edit, undone in one step', async () => {
    const landscapes = images.filter((image) => image.tags.includes('landscape')).slice(0, 2);
    expect(landscapes).toHaveLength(2);
    await tile(page, landscapes[0]!.id).click();
    await tile(page, landscapes[1]!.id).click({ modifiers: ['Control'] });
    const panel = page.locator('[data-testid="bulk-panel"]');
    await panel.getByText('Clear tags').click();
    await expect
      .poll(() => panel.locator('[data-testid="bulk-preview"]').textContent())
      .toContain('2 of 2 images will change');
    await panel.getByRole('button', { name: 'Apply to 2 images' }).click();
    for (const image of landscapes) await captionIs(image, [TRIGGER]);
    await page.keyboard.press('Control+z');
    await expect
      .poll(() => toastStartingWith('Undone').textContent())
      .toBe("Undone: removed 'landscape', 'outdoors' and 'sky' from 2 images");
    for (const image of landscapes) await captionIs(image, image.tags);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('shows the caption exactly as its file holds it, and sets a caption pasted as text', async () => {
    const image = portrait();
    await tile(page, image.id).click();
    const shown = editor().locator('[data-testid="caption-text"]');
    const onDisk = () => readCaption(fixture.dataset, image.file);
    await expect.poll(() => shown.textContent()).toBe(await onDisk());
    expect(await shown.textContent()).toBe(`${TRIGGER}, portrait, solo, looking at viewer`);
    await editor().getByRole('button', { name: 'Edit as text' }).click();
    const field = editor().locator('#caption-editor');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('caption-editor');
    await field.fill('');
    // A caption pasted from another tool: underscores, escaped parentheses, no trigger word.
    await page.keyboard.insertText('1girl, long_hair, photo \\(medium\\), smile');
    await page.keyboard.press('Enter');
    await waitFor('the pasted caption on disk', async () =>
      (await onDisk()).includes('long hair') ? true : undefined,
    );
    await expect.poll(() => shown.textContent()).toBe(await onDisk());
    expect(captionTags(await onDisk())).toEqual([
      TRIGGER,
      '1girl',
      'long hair',
      'photo (medium)',
      'smile',
    ]);
    await dismissToasts();
    await screenshot(page, '43-caption-text');
    await page.keyboard.press('Control+z');
    await expect
      .poll(() => toastStartingWith('Undone').textContent())
      .toBe('Undone: set the tags of 1 image');
    await captionIs(image, image.tags);
    await expect.poll(() => shown.textContent()).toBe(await onDisk());
  });

  it('opens the suggestions above the input when there is no room below, every one in view', async () => {
    await tile(page, portrait().id).click();
    await page.setViewportSize({ width: 1440, height: 560 });
    const input = page.locator('#editor-tag-input');
    // The input at the bottom of the editor, as on a laptop screen.
    await input.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await input.focus();
    await input.fill('bo');
    const list = page.locator('#editor-tag-input-suggestions');
    await expect.poll(() => list.locator('[role="option"]').count()).toBe(3);
    const field = (await input.boundingBox())!;
    const box = (await list.boundingBox())!;
    expect(field.y + field.height + box.height).toBeGreaterThan(560);
    expect(box.y + box.height).toBeLessThanOrEqual(field.y);
    for (const option of await list.locator('[role="option"]').all()) {
      const shown = (await option.boundingBox())!;
      expect(shown.y).toBeGreaterThanOrEqual(0);
      expect(shown.y + shown.height).toBeLessThanOrEqual(560);
    }
    // Tags that start with what is typed come before a tag found through an alias.
    expect(await list.locator('.suggestion-tag').allTextContents()).toEqual([
      'bow',
      'boots',
      'boobs → breasts',
    ]);
    await dismissToasts();
    await screenshot(page, '41-suggestions-above');
    await input.fill('');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows how many images of the dataset and of the vocabulary hold a suggested tag', async () => {
    const input = page.locator('#editor-tag-input');
    // A tag of other images of the dataset (the one in the editor does not hold it).
    await input.fill('sk');
    const option = page.locator('#editor-tag-input-suggestions [role="option"]').first();
    await expect.poll(() => option.locator('.suggestion-tag').textContent()).toBe('sky');
    const skies = images.filter((image) => image.tags.includes('sky')).length;
    expect(await option.locator('.source-dataset').textContent()).toBe(String(skies));
    expect(await option.locator('.source-vocabulary').textContent()).toBe('vocab 80,000');
    await input.fill('');
  });

  it('colours suggestions, chips and sidebar entries by their vocabulary category', async () => {
    const input = page.locator('#editor-tag-input');
    await input.fill('miku');
    const suggestion = page.locator('#editor-tag-input-suggestions .suggestion-tag').first();
    await expect.poll(() => suggestion.textContent()).toBe('miku_hatsune → hatsune miku');
    expect(await suggestion.getAttribute('class')).toContain('category-character');
    await input.fill('touhou, wlop, hatsune miku, highres');
    await input.press('Enter');
    const chip = (tag: string) => editor().locator(`.chip[data-tag="${tag}"]`);
    const categories = {
      touhou: 'copyright',
      wlop: 'artist',
      'hatsune miku': 'character',
      highres: 'meta',
      portrait: 'general',
    };
    for (const [tag, category] of Object.entries(categories)) {
      await expect.poll(() => chip(tag).getAttribute('class')).toContain(`category-${category}`);
    }
    // A character's green, Danbooru's colour for a dark background.
    expect(
      await chip('hatsune miku')
        .locator('.chip-label')
        .evaluate((label) => getComputedStyle(label).color),
    ).toBe('rgb(62, 209, 96)');
    const row = page.locator('[data-testid="tag-list"] .tag-row', { hasText: 'touhou' });
    await expect.poll(() => row.getAttribute('class')).toContain('category-copyright');
    await dismissToasts();
    await screenshot(page, '42-tag-categories');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await captionIs(portrait(), portrait().tags);
  });

  it('shows the first tags under the tiles instead of the file names, on demand', async () => {
    const image = portrait();
    const line = tile(page, image.id).locator('[data-testid="tile-tags"]');
    expect(await line.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Show tags' }).click();
    await expect.poll(() => line.isVisible()).toBe(true);
    // The trigger word starts every caption: the line starts after it.
    expect(await line.textContent()).toBe('portrait, solo, looking at viewer');
    expect(await tile(page, image.id).locator('.tile-file').isVisible()).toBe(false);
    await dismissToasts();
    await screenshot(page, '44-tile-tags');
    await page.getByRole('button', { name: 'Show file names' }).click();
    await expect.poll(() => line.isVisible()).toBe(false);
  });

  it('reports no errors in the page', () => {
    expect(pageProblems(page)).toEqual([]);
  });
});
