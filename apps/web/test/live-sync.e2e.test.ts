import type { ChangesResponse, DatasetResponse, ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, startAppSession } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import { captionTags, type DatasetFixture, readCaption } from './support/dataset-fixture.js';
import { getJson, type RunningServer, startServer } from './support/server-process.js';
import { waitFor } from './support/wait-for.js';

let session: AppSession & { fixture: DatasetFixture };
let fixture: DatasetFixture;
let server: RunningServer;
let pageA: Page;
let pageB: Page;
let images: ImageRecord[];

beforeAll(async () => {
  session = await startAppSession({ pages: 2 });
  ({ fixture, server, images } = session);
  [pageA, pageB] = session.pages as [Page, Page];
});

afterAll(() => session?.close());

/** The chips of the open editor, in order. */
function chips(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="editor"] .chip')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-tag')!));
}

async function addTags(page: Page, image: ImageRecord, tags: string[]): Promise<void> {
  await tile(page, image.id).click();
  const input = page.locator('#editor-tag-input');
  for (const tag of tags) {
    await input.fill(tag);
    await input.press('Enter');
  }
}

describe('live sync', () => {
  it('converges when two browsers edit the same images at once', async () => {
    const [first, second] = [images[0]!, images[1]!];
    await Promise.all([
      addTags(pageA, first, ['from a 1', 'from a 2']),
      addTags(pageB, first, ['from b 1', 'from b 2']),
    ]);
    await Promise.all([addTags(pageA, second, ['second a']), addTags(pageB, second, ['second b'])]);
    for (const image of [first, second]) {
      const onDisk = await waitFor(`both browsers' tags in ${image.file}`, async () => {
        const tags = captionTags(await readCaption(fixture.dataset, image.file));
        const wanted =
          image === first
            ? ['from a 1', 'from a 2', 'from b 1', 'from b 2']
            : ['second a', 'second b'];
        return wanted.every((tag) => tags.includes(tag)) ? tags : undefined;
      });
      for (const page of [pageA, pageB]) {
        await tile(page, image.id).click();
        await expect.poll(() => chips(page)).toEqual(onDisk);
        await expect
          .poll(() => tile(page, image.id).locator('[data-testid="tag-count"]').textContent())
          .toBe(String(onDisk.length));
      }
    }
    await screenshot(pageB, '09-live-sync');
  });

  it('queues edits while the server is down and delivers each exactly once after it restarts', async () => {
    const image = images[2]!;
    await tile(pageA, image.id).click();
    const before = await getJson<DatasetResponse>(server, '/api/dataset');
    const port = server.port;
    expect(await server.stop()).toBe(0);
    await pageA.locator('[data-testid="status"]', { hasText: 'Reconnecting' }).waitFor();

    const input = pageA.locator('#editor-tag-input');
    for (const tag of ['offline one', 'offline two']) {
      await input.fill(tag);
      await input.press('Enter');
    }
    // Shown at once, and counted as queued while the server is away.
    await expect.poll(() => chips(pageA)).toEqual([...image.tags, 'offline one', 'offline two']);
    await pageA.locator('[data-testid="status"]', { hasText: '2 queued edits' }).waitFor();
    await screenshot(pageA, '10-offline-queued');
    expect(captionTags(await readCaption(fixture.dataset, image.file))).toEqual(image.tags);

    // The session stops the new server at the end.
    server = session.server = await startServer(fixture.dataset, { port });
    await pageA
      .locator('[data-testid="status"]', { hasText: 'Online' })
      .waitFor({ timeout: 60_000 });
    await pageB
      .locator('[data-testid="status"]', { hasText: 'Online' })
      .waitFor({ timeout: 60_000 });
    const tags = await waitFor('the queued tags on disk', async () => {
      const current = captionTags(await readCaption(fixture.dataset, image.file));
      return current.includes('offline two') ? current : undefined;
    });
    expect(tags).toEqual([...image.tags, 'offline one', 'offline two']);

    // Exactly once: two ops, two revisions, whatever the resends.
    const changes = await getJson<ChangesResponse>(server, `/api/changes?since=${before.revision}`);
    expect(changes.reload).toBe(false);
    expect(changes.changes).toHaveLength(2);
    expect(new Set(changes.changes.map((change) => change.opId)).size).toBe(2);
    expect(changes.revision).toBe(before.revision + 2);
    // The other browser, which was offline too, catches up from the replayed changes.
    await tile(pageB, image.id).click();
    await expect.poll(() => chips(pageB)).toEqual(tags);
  });

  it('reports no errors in either page', () => {
    const ignorable = (problem: string) =>
      /WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(problem);
    expect(pageProblems(pageA).filter((problem) => !ignorable(problem))).toEqual([]);
    expect(pageProblems(pageB).filter((problem) => !ignorable(problem))).toEqual([]);
  });
});
