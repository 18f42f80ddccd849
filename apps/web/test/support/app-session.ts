import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageRecord } from '@civtag/api-models';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openApp } from './browser.js';
import {
  type DatasetFixture,
  type DatasetFixtureOptions,
  makeDatasetFixture,
  removeDatasetFixture,
} from './dataset-fixture.js';
import { requireBuilt } from './paths.js';
import { allImages, type RunningServer, startServer } from './server-process.js';

/** A dataset served by `civtag serve`, a browser with the app open in its pages, and the images. */
export interface AppSession {
  /** The server now; a test that restarts it puts the new one here, so that `close` stops it. */
  server: RunningServer;
  browser: Browser;
  images: ImageRecord[];
  pages: Page[];
  /** Closes the browser and stops the server (and removes the fixture, when the session made it). */
  close(): Promise<void>;
}

/**
 * Serves `dataset` and opens the app in `pages` pages (default 1). What was started is stopped
 * again when a later step fails, so a failing set-up leaves no server running.
 */
export async function serveInBrowser(
  dataset: string,
  options: {
    importRoot?: string;
    /** A tagger folder for `civtag serve --model`. */
    model?: string;
    /** A tag CSV for `civtag serve --vocabulary`. */
    vocabulary?: string;
    pages?: number;
    cleanUp?: () => Promise<void>;
  } = {},
): Promise<AppSession> {
  requireBuilt();
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await server?.stop();
    await options.cleanUp?.();
  };
  try {
    server = await startServer(dataset, {
      ...(options.importRoot === undefined ? {} : { importRoot: options.importRoot }),
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.vocabulary === undefined ? {} : { vocabulary: options.vocabulary }),
    });
    browser = await launchBrowser();
    const images = await allImages(server);
    const url = server.url;
    const opened = browser;
    const pages = await Promise.all(
      Array.from({ length: options.pages ?? 1 }, () => openApp(opened, url)),
    );
    const session: AppSession = {
      server,
      browser,
      images,
      pages,
      close: async () => {
        await browser?.close();
        await session.server.stop();
        await options.cleanUp?.();
      },
    };
    return session;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The e2e dataset fixture (see `makeDatasetFixture`), served and open in a browser. */
export async function startAppSession(
  options: DatasetFixtureOptions & {
    importRoot?: boolean;
    model?: string;
    pages?: number;
    /** The text of a tag CSV (tag,category,count,aliases) to serve as the vocabulary. */
    vocabularyCsv?: string;
  } = {},
): Promise<AppSession & { fixture: DatasetFixture }> {
  requireBuilt();
  const fixture = await makeDatasetFixture(options);
  let vocabulary: string | undefined;
  if (options.vocabularyCsv !== undefined) {
    vocabulary = path.join(fixture.root, 'vocabulary.csv');
    await writeFile(vocabulary, options.vocabularyCsv);
  }
  const session = await serveInBrowser(fixture.dataset, {
    ...(vocabulary === undefined ? {} : { vocabulary }),
    ...(options.importRoot === true ? { importRoot: fixture.importRoot } : {}),
    ...(options.pages === undefined ? {} : { pages: options.pages }),
    ...(options.model === undefined ? {} : { model: options.model }),
    cleanUp: () => removeDatasetFixture(fixture),
  });
  return Object.assign(session, { fixture });
}
