import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TagOp } from '@civtag/api-models';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, openDataset, openDatasetReadOnly } from '../src/index.js';
import { bundleScript } from './bundle-script.js';
import { fingerprintTree, makeTempDir, writePngs } from './fixtures.js';
import { readZip } from './zip-reader.js';

let temp: { dir: string; remove: () => Promise<void> };
let holderScript: string;

beforeAll(async () => {
  temp = await makeTempDir('read-only');
  holderScript = path.join(temp.dir, 'dataset-holder-child.mjs');
  await bundleScript(
    fileURLToPath(new URL('./dataset-holder-child.ts', import.meta.url)),
    holderScript,
  );
}, 60_000);

afterAll(async () => {
  await temp.remove();
});

/** A child process holding a dataset open, to which the test sends ops. */
interface Holder {
  child: ChildProcess;
  /** Resolves with the next line the holder prints. */
  nextLine(): Promise<string>;
  /** Applies `op` in the holder; resolves with the revision it made, once its captions are written. */
  apply(op: TagOp): Promise<number>;
}

const holders: ChildProcess[] = [];
afterEach(async () => {
  for (const child of holders.splice(0)) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
});

function startHolder(dir: string): Holder {
  const child = spawn(process.execPath, [holderScript, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  holders.push(child);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const next = await lines.next();
    if (next.done === true) throw new Error(`The holder exited: ${errors}`);
    return next.value;
  };
  return {
    child,
    nextLine,
    async apply(op) {
      child.stdin!.write(`${JSON.stringify(op)}\n`);
      const line = await nextLine();
      expect(line).toMatch(/^applied \d+$/);
      return Number(line.split(' ')[1]);
    },
  };
}

async function makeDataset(name: string): Promise<string> {
  const dir = path.join(temp.dir, name);
  const source = path.join(temp.dir, `${name}-source`);
  await mkdir(source, { recursive: true });
  await writePngs(source, 3);
  const dataset = await createDataset(dir, { prefix: 'view', triggerWord: 'view_style' });
  await dataset.import(source).done;
  await dataset.apply({ type: 'add', target: { all: true }, tags: ['view_style'] });
  await dataset.close();
  return dir;
}

describe('a read-only view of a dataset that another process holds', () => {
  it('sees the holder’s latest ops (only in its journal) and writes nothing in the dataset folder', async () => {
    const dir = await makeDataset('held');
    const holder = startHolder(dir);
    expect(await holder.nextLine()).toMatch(/^open \d+$/);
    const first = (await openDataset(dir).catch((error: unknown) => error)) as { code?: string };
    // The holder really holds it.
    expect(first.code).toBe('SESSION_LOCKED');
    const revision = await holder.apply({
      type: 'add',
      target: { all: true },
      tags: ['made by the holder'],
    });
    // The holder compacted nothing since it opened: its op is in the journal only.
    const snapshot = JSON.parse(await readFile(path.join(dir, '.civtag', 'session.json'), 'utf8'));
    expect(snapshot.revision).toBeLessThan(revision);
    const before = await fingerprintTree(dir);

    const view = await openDatasetReadOnly(dir);
    expect(view.revision).toBe(revision);
    expect(view.images()).toHaveLength(3);
    for (const image of view.images())
      expect(image.tags).toEqual(['view_style', 'made by the holder']);
    expect(view.tagStats()).toEqual([
      { tag: 'made by the holder', count: 3 },
      { tag: 'view_style', count: 3 },
    ]);
    expect(view.settings.triggerWord).toBe('view_style');
    const report = await view.check();
    expect(report).toMatchObject({ ok: true, imageCount: 3 });
    const entries = await readZip(view.export({ format: 'zip' }));
    const captions = entries.filter((entry) => entry.name.endsWith('.txt'));
    expect(captions).toHaveLength(3);
    for (const caption of captions)
      expect(caption.data.toString('utf8')).toBe('view_style, made by the holder');
    await view.close();

    // Not a byte, name or time changed: no lock, no compaction, no caption or thumbnail written.
    expect(await fingerprintTree(dir)).toBe(before);
  });

  it('refuses every change with CONFLICT, saying to use openDataset', async () => {
    const dir = await makeDataset('refusing');
    const view = await openDatasetReadOnly(dir);
    const refused = { code: 'CONFLICT', message: expect.stringMatching(/read-only.*openDataset/) };
    await expect(
      view.apply({ type: 'remove', target: { all: true }, tags: ['x'] }),
    ).rejects.toMatchObject(refused);
    await expect(view.undo()).rejects.toMatchObject(refused);
    await expect(view.redo()).rejects.toMatchObject(refused);
    await expect(view.repair()).rejects.toMatchObject(refused);
    expect(() => view.import(temp.dir)).toThrow(/read-only/);
    // Nothing was changed: the dataset opens for writing with the revision it had.
    const dataset = await openDataset(dir);
    expect(dataset.revision).toBe(view.revision);
    await dataset.close();
  });

  it('answers NOT_FOUND for a folder that holds no dataset', async () => {
    await expect(openDatasetReadOnly(temp.dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
