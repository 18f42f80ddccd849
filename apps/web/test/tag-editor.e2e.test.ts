import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import { captionTags, type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import { waitFor } from './support/wait-for.js';

const TRIGGER = 'e2echar';

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

beforeAll(async () => {
  session = await startAppSession({ trigger: TRIGGER });
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
    await screenshot(page, '20-chip-edit');
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

  it('reports no errors in the page', () => {
    expect(pageProblems(page)).toEqual([]);
  });
});
