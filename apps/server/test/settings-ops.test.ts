import type { Change, DatasetResponse, OpResponse } from '@civtag/api-models';
import type { Dataset } from '@civtag/core';
import type { ServerFrame } from '@civtag/ws-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { makeDataset, scratchFolder, startServer, waitUntil } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let base: string;
let origin: string;
let socketUrl: string;
let dataset: Dataset;

beforeAll(async () => {
  const root = await scratchFolder(cleanUps);
  dataset = await makeDataset(root, 2);
  ({ base, origin, socketUrl } = await startServer(dataset, cleanUps));
});

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

async function postJson(route: string, body: unknown): Promise<Response> {
  return fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
}

describe('settings and normalize ops through the server', () => {
  it('applies a settings op over HTTP, sends every socket its new settings, and serves them', async () => {
    const socket = new WebSocket(socketUrl, { origin });
    cleanUps.push(async () => socket.terminate());
    const changes: Change[] = [];
    let welcomed = false;
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'welcome') welcomed = true;
      if (frame.type === 'change') changes.push(frame.data);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId: 'watcher' } }));
    await waitUntil(() => welcomed);

    const response = await postJson('/api/ops', {
      op: { type: 'settings', changes: { triggerWord: 'miku_style', kohyaRepeats: 4 } },
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as OpResponse;
    expect(answer.count).toBe(2);

    await waitUntil(() => changes.some((change) => change.settings !== undefined));
    const broadcast = changes.find((change) => change.settings !== undefined);
    expect(broadcast?.settings).toMatchObject({ triggerWord: 'miku_style', kohyaRepeats: 4 });
    expect(broadcast?.changes.map((change) => change.tags)).toEqual([
      ['miku_style'],
      ['miku_style'],
    ]);

    const served = (await (await fetch(`${base}/api/dataset`)).json()) as DatasetResponse;
    expect(served.settings).toMatchObject({ triggerWord: 'miku_style', kohyaRepeats: 4 });

    const undo = await postJson('/api/undo', {});
    expect(undo.status).toBe(200);
    await waitUntil(() => changes.at(-1)?.settings?.kohyaRepeats === 10);
    expect(changes.at(-1)?.settings?.triggerWord).toBeUndefined();
  });

  it('accepts a normalize op', async () => {
    const response = await postJson('/api/ops', {
      op: { type: 'normalize', target: { all: true } },
    });
    expect(response.status).toBe(200);
    expect(dataset.settings.tagStyle).toEqual({ separator: 'space', escapeParentheses: false });
  });
});
