import { cp } from 'node:fs/promises';
import path from 'node:path';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppSession, serveInBrowser } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import {
  captionTags,
  type DatasetFixture,
  makeDatasetFixture,
  readCaption,
  removeDatasetFixture,
} from './support/dataset-fixture.js';

let fixture: DatasetFixture;
let disk: TestDisk;
let session: AppSession;
let page: Page;
let dataset: string;

beforeAll(async () => {
  fixture = await makeDatasetFixture();
  // The dataset on a small disk of its own, which the test fills while the server runs.
  disk = await mountTmpfs({ sizeBytes: 48 * 1024 * 1024 });
  dataset = path.join(disk.dir, 'dataset');
  await cp(fixture.dataset, dataset, { recursive: true });
  session = await serveInBrowser(dataset);
  page = session.pages[0]!;
});

afterAll(async () => {
  await session?.close();
  await disk?.unmount();
  await removeDatasetFixture(fixture);
});

it('keeps an edit made while the server’s disk is full in the tab, says so, and saves it once space is freed', async () => {
  const image = session.images[0]!;
  await tile(page, image.id).click();
  const status = page.getByTestId('status');
  await expect.poll(() => status.textContent()).toBe('Online');

  await disk.fill(0);
  const input = page.locator('#editor-tag-input');
  await input.fill('made while full');
  await input.press('Enter');
  await expect.poll(() => status.textContent()).toBe('Server disk full: 1 edit waiting');
  expect(await status.getAttribute('title')).toContain('free some space');
  await screenshot(page, 'full-disk-held');
  // Refused, not saved: the caption on disk does not have it.
  expect(captionTags(await readCaption(dataset, image.file))).not.toContain('made while full');

  await disk.free();
  await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('Online');
  const tags = captionTags(await readCaption(dataset, image.file));
  expect(tags.filter((tag) => tag === 'made while full')).toHaveLength(1);
  // Applied once: a reload shows the tag once, from the server's state.
  await page.reload();
  await tile(page, image.id).click();
  await expect
    .poll(() =>
      page
        .locator('[data-testid="editor"] .chip')
        .evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-tag'))),
    )
    .toEqual(tags);
  expect(pageProblems(page)).toEqual([]);
});
