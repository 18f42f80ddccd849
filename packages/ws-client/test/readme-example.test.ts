import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { onCleanup, until } from './client-harness.js';
import { createServerState, startTestServer } from './protocol-test-server.js';

type OpenTagEditor = (options: {
  baseUrl: string;
  token: string;
  render: (tags: ReadonlyMap<string, string[]>, status: string) => void;
}) => Promise<{
  client: { close(): void };
  addTag(imageId: string, tag: string): Promise<number>;
}>;

/** The README's example, saved as a module of its own and imported as it is written. */
async function importReadmeExample(): Promise<OpenTagEditor> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const code = readme.match(
    /## Example: a third-party frontend\n[\s\S]*?```ts\n([\s\S]*?)```/,
  )?.[1];
  if (code === undefined) throw new TypeError('README.md has no example section with a ts block');
  const folder = await mkdtemp(join(tmpdir(), 'civtag-readme-'));
  onCleanup(() => rm(folder, { recursive: true, force: true }));
  const file = join(folder, 'tag-editor.ts');
  await writeFile(file, code);
  const module = (await import(pathToFileURL(file).href)) as { openTagEditor: OpenTagEditor };
  return module.openTagEditor;
}

describe('the README example', () => {
  // The example is browser code: it uses the global WebSocket, which Node 20 lacks.
  const global = globalThis as { WebSocket?: unknown };
  const before = global.WebSocket;
  beforeEach(() => {
    global.WebSocket = WebSocket;
  });
  afterEach(() => {
    global.WebSocket = before;
  });

  it('loads the images, edits a tag, and sees the edit of another editor', async () => {
    const state = createServerState({ img1: ['smile'], img2: [] });
    const server = await startTestServer({ state });
    onCleanup(() => server.kill());
    const openTagEditor = await importReadmeExample();
    const renders: string[] = [];
    const first = await openTagEditor({
      baseUrl: server.httpUrl,
      token: 'secret',
      render: (_tags, status) => renders.push(status),
    });
    onCleanup(() => first.client.close());
    let secondTags: ReadonlyMap<string, string[]> = new Map();
    const second = await openTagEditor({
      baseUrl: server.httpUrl,
      token: 'secret',
      render: (tags) => {
        secondTags = tags;
      },
    });
    onCleanup(() => second.client.close());

    expect(await first.addTag('img1', 'blue sky')).toBe(1);

    await until(() => secondTags.get('img1')?.length === 2);
    expect(secondTags.get('img1')).toEqual(['smile', 'blue sky']);
    expect(renders.some((status) => status.startsWith('open'))).toBe(true);
    expect(server.connections.map((connection) => connection.url)).toEqual([
      '/ws?token=secret',
      '/ws?token=secret',
    ]);
  });
});
