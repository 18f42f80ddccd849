import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../bench/chromium-launch.mjs';
import { screenshotDir } from './paths.js';

const problemsByPage = new WeakMap<Page, string[]>();

/**
 * Debian's Chromium, headless. Without the networking flags it floods the closed network
 * with refused connections. Playwright gives each launch a fresh temporary profile.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/** Opens the app in a new, isolated browser context and waits for the first tiles. */
export async function openApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: 'dark',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  problemsByPage.set(page, problems);
  await page.goto(url);
  await page.locator('.tile[data-image-id]').first().waitFor();
  await page.locator('[data-testid="status"]', { hasText: 'Online' }).waitFor();
  return page;
}

/** Errors the page reported (uncaught exceptions, console errors such as CSP refusals). */
export function pageProblems(page: Page): string[] {
  return problemsByPage.get(page) ?? [];
}

/** Saves a screenshot of the page as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/** The tile of an image, by id. */
export function tile(page: Page, imageId: string) {
  return page.locator(`.tile[data-image-id="${imageId}"]`);
}
