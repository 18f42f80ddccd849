import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openTagEditor } from '../examples/tag-editor.js';
import { onCleanup, until } from './client-harness.js';
import { createServerState, startTestServer } from './protocol-test-server.js';

const packageRoot = new URL('../', import.meta.url);

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

  it('is in the README word for word', async () => {
    const readme = await readFile(new URL('README.md', packageRoot), 'utf8');
    const example = await readFile(new URL('examples/tag-editor.ts', packageRoot), 'utf8');

    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('loads the images, edits a tag, and sees the edit of another editor', async () => {
    const state = createServerState({ img1: ['smile'], img2: [] });
    const server = await startTestServer({ state });
    onCleanup(() => server.kill());
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
