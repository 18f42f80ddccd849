import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';

let session: AppSession;
let page: Page;
let images: ImageRecord[];

beforeAll(async () => {
  session = await startAppSession();
  ({ images } = session);
  [page] = session.pages as [Page];
});

afterAll(() => session?.close());

const viewer = () => page.getByTestId('viewer');
const shown = () => viewer().locator('.viewer-image');
const scale = async () => Number(await shown().getAttribute('data-scale'));
const offset = async () => ({
  x: Number(await shown().getAttribute('data-x')),
  y: Number(await shown().getAttribute('data-y')),
});
const editorTitle = () => page.locator('[data-testid="editor"] .panel-title').textContent();

describe('the image viewer', () => {
  const large = () => {
    const image = images.find((candidate) => candidate.width >= 1000);
    if (image === undefined) throw new Error('no image of 1000 px or more in the fixture');
    return image;
  };

  it('opens from the editor’s preview with the image fitted, and zooms with +, −, 1 and 0', async () => {
    // The app fills the window and no more: the page itself never scrolls.
    await expect.poll(() => page.evaluate(() => document.scrollingElement?.scrollHeight)).toBe(900);
    const image = large();
    await tile(page, image.id).click();
    await page.getByRole('button', { name: 'View the image large (v)' }).click();
    await viewer().waitFor();
    await expect.poll(() => shown().getAttribute('alt')).toBe(image.file);
    // Fitted: the whole image in the stage, which the grid's area holds.
    const stage = await viewer().locator('.viewer-stage').boundingBox();
    const fitted = await scale();
    const natural = await shown().evaluate((element) => ({
      width: (element as HTMLImageElement).naturalWidth,
      height: (element as HTMLImageElement).naturalHeight,
    }));
    expect(natural.width).toBeGreaterThan(0);
    expect(fitted).toBeCloseTo(
      Math.min(stage!.width / natural.width, stage!.height / natural.height),
      2,
    );
    expect(await viewer().getByTestId('viewer-zoom').textContent()).toBe(
      `${Math.round(fitted * 100)}%`,
    );
    await screenshot(page, '40-image-viewer');

    await page.keyboard.press('+');
    await expect.poll(scale).toBeCloseTo(fitted * 1.25, 3);
    await page.keyboard.press('-');
    await expect.poll(scale).toBeCloseTo(fitted, 3);
    await page.keyboard.press('1');
    await expect.poll(scale).toBe(1);
    expect(await viewer().getByTestId('viewer-zoom').textContent()).toBe('100%');
    await page.keyboard.press('0');
    await expect.poll(scale).toBeCloseTo(fitted, 3);
  });

  it('zooms about the pointer with the wheel and pans by dragging, never past an edge', async () => {
    const fitted = await scale();
    const stage = (await viewer().locator('.viewer-stage').boundingBox())!;
    const centre = { x: stage.x + stage.width / 2, y: stage.y + stage.height / 2 };
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.wheel(0, -1000);
    // 500 wheel pixels double the zoom.
    await expect.poll(scale).toBeCloseTo(fitted * 4, 1);
    const before = await offset();
    await page.mouse.down();
    await page.mouse.move(centre.x - 120, centre.y - 60, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => (await offset()).x).toBeCloseTo(before.x - 120, 0);
    expect((await offset()).y).toBeCloseTo(before.y - 60, 0);
    // Dragged far right, the image's left edge stops at the stage's.
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + 5000, centre.y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => (await offset()).x).toBe(0);
    // A double click fits it again.
    await page.mouse.dblclick(centre.x, centre.y);
    await expect.poll(scale).toBeCloseTo(fitted, 3);
  });

  it('shows the next and previous image with → and ←, the editor following', async () => {
    const start = (await shown().getAttribute('alt'))!;
    const index = images.findIndex((image) => image.file === start);
    const next = images[index + 1]!;
    await viewer().focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => shown().getAttribute('alt')).toBe(next.file);
    expect(await editorTitle()).toBe(next.file);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => shown().getAttribute('alt')).toBe(start);
    expect(await editorTitle()).toBe(start);
  });

  it('goes full screen with F and back with Esc, then Esc returns to the grid', async () => {
    await page.keyboard.press('f');
    await expect.poll(() => viewer().getAttribute('class')).toContain('viewer-full');
    const box = (await viewer().boundingBox())!;
    expect({ width: box.width, height: box.height }).toEqual({ width: 1440, height: 900 });
    await screenshot(page, '41-image-viewer-full-screen');
    await page.keyboard.press('Escape');
    await expect.poll(() => viewer().getAttribute('class')).toBe('viewer');
    await page.keyboard.press('Escape');
    await expect.poll(() => viewer().count()).toBe(0);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id ?? ''))
      .toBe('image-grid');
    // The editor stays on the image that was viewed.
    expect(await editorTitle()).toBe(large().file);
  });

  it('opens with v on the focused image, and closes with the editor', async () => {
    await page.keyboard.press('ArrowRight');
    const focused = await page
      .locator('#image-grid')
      .getAttribute('aria-activedescendant')
      .then((id) => page.locator(`#${id}`).getAttribute('data-image-id'));
    await page.keyboard.press('v');
    await viewer().waitFor();
    const record = images.find((image) => image.id === focused)!;
    await expect.poll(() => shown().getAttribute('alt')).toBe(record.file);
    await page.getByRole('button', { name: 'Close the editor (Esc)' }).click();
    await expect.poll(() => viewer().count()).toBe(0);
    // Opening the editor again does not bring the viewer back.
    await tile(page, record.id).click();
    await page.locator('[data-testid="editor"]').waitFor();
    expect(await viewer().count()).toBe(0);
    expect(pageProblems(page)).toEqual([]);
  });
});
