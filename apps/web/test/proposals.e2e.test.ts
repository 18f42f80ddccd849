import { rm } from 'node:fs/promises';
import type { ImageRecord } from '@civtag/api-models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, serveInBrowser } from './support/app-session.js';
import { pageProblems, screenshot, tile } from './support/browser.js';
import { captionTags, readCaption } from './support/dataset-fixture.js';
import { getJson } from './support/server-process.js';
import { COLOUR_WIDTHS, makeTaggedFixture, type TaggedFixture } from './support/tagged-fixture.js';
import { waitFor } from './support/wait-for.js';

let fixture: TaggedFixture;
let session: AppSession;
let page: Page;
const byColour = {} as Record<keyof typeof COLOUR_WIDTHS, ImageRecord>;

/** Waits until the caption file of `image` satisfies `accept`, and returns its tags. */
function captionOf(image: ImageRecord, accept: (tags: string[]) => boolean): Promise<string[]> {
  return waitFor(`the caption of ${image.file}`, async () => {
    const tags = captionTags(await readCaption(fixture.dataset, image.file));
    return accept(tags) ? tags : undefined;
  });
}

/** The proposals the server holds for `image` now, by tag. */
async function serverProposals(image: ImageRecord): Promise<string[]> {
  const record = await getJson<ImageRecord>(session.server, `/api/images/${image.id}`);
  return (record.proposals ?? []).map((proposal) => proposal.tag);
}

const editor = () => page.locator('[data-testid="editor"]');
const proposal = (tag: string) => editor().locator(`.chip.proposal[data-proposal="${tag}"]`);
const shownProposals = () =>
  editor()
    .locator('.chip.proposal')
    .evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-proposal')));

/** The proposal whose chip has the focus, or null. */
const focusedProposal = () =>
  page.evaluate(
    () => document.activeElement?.closest('[data-proposal]')?.getAttribute('data-proposal') ?? null,
  );

beforeAll(async () => {
  fixture = await makeTaggedFixture();
  session = await serveInBrowser(fixture.dataset, {
    cleanUp: () => rm(fixture.root, { recursive: true, force: true }),
  });
  [page] = session.pages as [Page];
  for (const [colour, width] of Object.entries(COLOUR_WIDTHS)) {
    const image = session.images.find((candidate) => candidate.width === width);
    if (image === undefined) throw new Error(`no ${colour} image in the dataset`);
    byColour[colour as keyof typeof COLOUR_WIDTHS] = image;
  }
});

afterAll(() => session?.close());

describe('proposals of the auto-tagger in the browser', () => {
  it('marks the tiles of images with proposals and shows them in the editor, best first, with the rating', async () => {
    const red = byColour.red;
    // `civtag tag` in propose mode wrote no caption.
    expect(await readCaption(fixture.dataset, red.file)).toBe('');
    await expect.poll(() => tile(page, red.id).locator('.flag-proposals').count()).toBe(1);
    await tile(page, red.id).click();
    await expect.poll(() => proposal('red').count()).toBe(1);
    const shown = await shownProposals();
    expect(shown[0]).toBe('red');
    expect(shown).toEqual(expect.arrayContaining(['solo', 'simple_background']));
    expect(shown).not.toContain('blue');
    expect(await proposal('red').locator('.proposal-score').textContent()).toBe('100%');
    expect(
      await proposal('red')
        .getByRole('button', { name: /^Accept red, proposed, 100%/ })
        .count(),
    ).toBe(1);
    expect(await editor().locator('[data-testid="rating"]').textContent()).toContain('general 73%');
    await screenshot(page, '20-proposals');
  });

  it('accepts a proposal with a click: the caption file holds it, and Undo proposes it again', async () => {
    const red = byColour.red;
    await proposal('red').locator('.chip-label').click();
    expect(await captionOf(red, (tags) => tags.includes('red'))).toEqual(['red']);
    await expect.poll(() => editor().locator('.chip[data-tag="red"]').count()).toBe(1);
    await expect.poll(() => proposal('red').count()).toBe(0);
    expect(await serverProposals(red)).not.toContain('red');

    await page.locator('#image-grid').focus();
    await page.keyboard.press('Control+z');
    await captionOf(red, (tags) => !tags.includes('red'));
    await expect.poll(() => proposal('red').count()).toBe(1);
    await expect.poll(() => editor().locator('.chip[data-tag="red"]').count()).toBe(0);
    await expect
      .poll(() => page.locator('.toast').last().textContent())
      .toContain("Undone: accepted 'red' on 1 image");
    expect(await serverProposals(red)).toContain('red');
  });

  it('accepts a focused proposal with Enter and rejects one with Delete', async () => {
    const red = byColour.red;
    await proposal('simple_background').locator('.chip-label').focus();
    await page.keyboard.press('Enter');
    await captionOf(red, (tags) => tags.length === 1);
    await expect.poll(() => proposal('simple_background').count()).toBe(0);

    // The focus stays in the list: on the proposal now in the place of the one accepted.
    await expect.poll(focusedProposal).toBe('solo');
    const before = await readCaption(fixture.dataset, red.file);
    await page.keyboard.press('Delete');
    await expect.poll(() => proposal('solo').count()).toBe(0);
    await expect.poll(focusedProposal).toBe('red');
    await waitFor('the server to hold solo as rejected', async () =>
      (await serverProposals(red)).includes('solo') ? undefined : true,
    );
    // A rejection writes nothing: it only hides the proposal.
    expect(await readCaption(fixture.dataset, red.file)).toBe(before);
    // The change frame says nothing of proposals: the page re-read the record and still hides it.
    await page.reload();
    await tile(page, red.id).click();
    await expect.poll(() => proposal('red').count()).toBe(1);
    expect(await shownProposals()).not.toContain('solo');
  });

  it('rejects with ×, and Undo brings the proposal back', async () => {
    const red = byColour.red;
    await proposal('red').getByRole('button', { name: 'Reject red' }).click();
    await expect.poll(() => proposal('red').count()).toBe(0);
    await waitFor('the server to hold red as rejected', async () =>
      (await serverProposals(red)).includes('red') ? undefined : true,
    );
    await page.locator('#image-grid').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => proposal('red').count()).toBe(1);
    expect(await serverProposals(red)).toContain('red');
  });

  it('accepts every proposal scoring at least a percentage over a selection, with a preview count', async () => {
    const { green, blue } = byColour;
    await page.keyboard.press('Escape');
    await tile(page, green.id).click();
    await tile(page, blue.id).click({ modifiers: ['Control'] });
    await expect
      .poll(() => page.locator('[data-testid="selection-count"]').textContent())
      .toBe('2 selected');
    const panel = page.locator('[data-testid="bulk-panel"]');
    await panel.getByText('Accept proposals').click();
    await panel.locator('#bulk-min-score').fill('90');
    // Each image has one proposal at 90% or more (its colour); `solo` scores 82%.
    await expect
      .poll(() => panel.locator('[data-testid="accept-preview"]').textContent())
      .toBe('2 proposals accepted on 2 of 2 images');
    await screenshot(page, '21-bulk-accept-proposals');
    await panel.getByRole('button', { name: 'Accept 2 proposals' }).click();
    expect(await captionOf(green, (tags) => tags.length > 0)).toEqual(['green']);
    expect(await captionOf(blue, (tags) => tags.length > 0)).toEqual(['blue']);
    // The red image was not in the selection.
    expect(captionTags(await readCaption(fixture.dataset, byColour.red.file))).not.toContain(
      'solo',
    );
    expect(await serverProposals(green)).toContain('solo');
  });

  it('raised no page errors', () => {
    expect(pageProblems(page)).toEqual([]);
  });
});
