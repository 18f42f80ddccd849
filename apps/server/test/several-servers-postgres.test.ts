import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { OpResponse } from '@civtag/api-models';
import { openDataset } from '@civtag/core';
import { PostgresSessionStore } from '@civtag/session-postgres';
import type { ServerFrame } from '@civtag/ws-protocol';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CommandContext } from '../src/cli/command-context.js';
import { openDatasetInDatabase } from '../src/cli/database-dataset.js';
import {
  type ClientView,
  captionsWritten,
  captionTagsOnDisk,
  fetchAllImages,
  follow,
  makeDataset,
  random,
  scratchFolder,
  startServer,
  waitUntil,
  writeImages,
} from './harness.js';
import { health, randomOp, usePostgres } from './several-servers.js';

const postgres = usePostgres();
function databaseUrl(): string {
  return postgres().url;
}

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** The two keys of the advisory lock a store's lease takes (as `@civtag/session-postgres` makes them). */
function advisoryKeys(name: string): [number, number] {
  const digest = createHash('sha256').update(name).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

/** A connection of the test's own to the database, ended on clean-up. */
async function adminClient(): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  cleanUps.push(() => admin.end());
  return admin;
}

/** A store of `dataset` that never polls and never listens again once its listener is cut. */
function storeNeverPolling(dataset: string): PostgresSessionStore {
  return new PostgresSessionStore({
    connectionString: databaseUrl(),
    dataset,
    pollIntervalMs: 3_600_000,
    reconnectDelayMs: 3_600_000,
  });
}

/** Cuts the LISTEN connection of `store`: it hears of other servers' changes only when it asks. */
async function cutListener(store: PostgresSessionStore, admin: pg.Client): Promise<void> {
  await waitUntil(() => store.listenerPid !== undefined);
  await admin.query('SELECT pg_terminate_backend($1)', [store.listenerPid]);
}

/**
 * Closes the caption writer's server while a connection of the test waits for the dataset's
 * lease, so that the test holds it (no other server takes the files over) until `release`.
 */
async function holdLeaseAsWriterCloses(
  id: string,
  server: { close: () => Promise<void> },
): Promise<{ release: () => Promise<void> }> {
  const admin = await adminClient();
  const keys = advisoryKeys(`civtag-lease:${id}`);
  const taken = admin.query('SELECT pg_advisory_lock($1, $2)', keys);
  await server.close();
  await taken;
  return {
    release: async () => {
      await admin.query('SELECT pg_advisory_unlock($1, $2)', keys);
    },
  };
}

/** A command context that keeps what is said, as `civtag serve --json` would print it. */
function quietContext(): CommandContext & { said: () => string } {
  const lines: string[] = [];
  const sink = () =>
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
  return { stdout: sink(), stderr: sink(), json: false, env: {}, said: () => lines.join('') };
}

/** A dataset of the folder (6 images unless said), then `count` servers on it through the database (the first moves it). */
async function serversOnOneDataset(count: number, images = 6) {
  const root = await scratchFolder(cleanUps);
  const fileDataset = await makeDataset(root, images);
  // An edit before the move, to be found undoable after it.
  const first = fileDataset.images()[0]!;
  await fileDataset.apply({ type: 'set', imageId: first.id, tags: ['before', 'move'] });
  const dir = fileDataset.dir;
  const id = fileDataset.id;
  await fileDataset.close();
  const servers = [];
  for (let index = 0; index < count; index += 1) {
    const dataset = await openDatasetInDatabase(quietContext(), dir, databaseUrl());
    servers.push({ dataset, ...(await startServer(dataset, cleanUps)) });
  }
  return { dir, id, servers, edited: first.id };
}

describe('several servers on one dataset through PostgreSQL', () => {
  it('move the folder’s dataset into the database once, history and undo included', async () => {
    const { dir, id, servers, edited } = await serversOnOneDataset(2);
    const note = JSON.parse(await readFile(path.join(dir, '.civtag/database.json'), 'utf8'));
    expect(note).toMatchObject({ store: 'postgres', dataset: id });
    expect(existsSync(path.join(dir, '.civtag/journal.jsonl'))).toBe(false);
    expect(existsSync(path.join(dir, '.civtag/moved-to-database/session.json'))).toBe(true);
    for (const { base, dataset } of servers) {
      expect(dataset.id).toBe(id);
      expect(await health(base)).toMatchObject({ store: 'postgres' });
      expect(dataset.canUndo()).toBe(true);
    }
    const undone = await servers[1]!.dataset.undo();
    expect(undone.changes.map((change) => change.imageId)).toEqual([edited]);
    // Without the database, opening the folder says where the dataset lives.
    await expect(openDataset(dir)).rejects.toThrow(/lives in a postgres database.*--database/);
  });

  it('converge: every client on any server ends with the same tags, written once into the captions', async () => {
    const { dir, servers } = await serversOnOneDataset(3);
    const start = await fetchAllImages(servers[0]!.base);
    const ids = start.images.map((image) => image.id);
    const clients = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((clientId, index) =>
      follow(servers[index % servers.length]!.socketUrl, clientId, start, cleanUps),
    );
    const next = random(11);
    const work: Promise<unknown>[] = [];
    for (let round = 0; round < 15; round += 1) {
      for (const { client } of clients)
        work.push(client.send(randomOp(next, ids)).catch((error: unknown) => error));
    }
    const results = await Promise.all(work);
    expect(results.filter((result) => result instanceof Error)).toEqual([]);

    const revision = Math.max(...servers.map(({ dataset }) => dataset.revision));
    expect(revision).toBe(start.revision + 15 * clients.length);
    await waitUntil(() => servers.every(({ dataset }) => dataset.revision === revision));
    const final = await fetchAllImages(servers[0]!.base);
    const expected = new Map(final.images.map((image) => [image.id, image.tags]));
    // An op that changed nothing (a tag no image had) is not announced: the views are compared
    // once they hold what the servers hold.
    const same = (view: ClientView) =>
      JSON.stringify([...view.tags]) === JSON.stringify([...expected]);
    await waitUntil(() => clients.every(({ view }) => same(view)));
    for (const { base } of servers.slice(1))
      expect(
        new Map((await fetchAllImages(base)).images.map((image) => [image.id, image.tags])),
      ).toEqual(expected);
    for (const { view } of clients) expect(view.tags).toEqual(expected);

    // One server writes the captions: the one holding the lease.
    const writers = [];
    for (const server of servers)
      if ((await health(server.base)).captionWriter) writers.push(server);
    expect(writers).toHaveLength(1);
    for (const server of servers)
      expect(server.dataset.captionProgress().pending === 0 || server === writers[0]).toBe(true);
    await captionsWritten(writers[0]!.base);
    expect(await captionTagsOnDisk(dir, final.images)).toEqual(expected);
  });

  it('hand the captions to another server when the writer goes, which writes what lags', async () => {
    const { dir, id, servers } = await serversOnOneDataset(2);
    const [writer, other] = servers as [(typeof servers)[0], (typeof servers)[0]];
    await waitUntil(async () => (await health(writer.base)).captionWriter === true);
    expect((await health(other.base)).captionWriter).toBe(false);
    const images = (await fetchAllImages(other.base)).images;
    const setAll = async (word: string) => {
      for (const image of images)
        await other.dataset.apply({ type: 'set', imageId: image.id, tags: [word, 'x'] });
    };
    const onDisk = async () => [...(await captionTagsOnDisk(dir, images)).values()];
    // The writer writes what the other server changes.
    await setAll('during');
    await captionsWritten(writer.base);
    expect(await onDisk()).toEqual(images.map(() => ['during', 'x']));

    // The lease is held here a while after the writer goes: the other server changes the
    // dataset meanwhile and writes no caption, since it does not hold the lease.
    const lease = await holdLeaseAsWriterCloses(id, writer.server);
    await setAll('after');
    await other.dataset.captionsWritten();
    expect((await health(other.base)).captionWriter).toBe(false);
    expect(await onDisk()).toEqual(images.map(() => ['during', 'x']));

    // Given the lease, it rewrites the captions the writer left behind (no external edit).
    await lease.release();
    await waitUntil(async () => (await health(other.base)).captionWriter === true);
    await other.dataset.reconciled();
    await captionsWritten(other.base);
    expect(await onDisk()).toEqual(images.map(() => ['after', 'x']));
    const final = await fetchAllImages(other.base);
    expect(final.images.map((image) => image.tags)).toEqual(images.map(() => ['after', 'x']));
  });

  it('forget the captions the writer has written past: a file set back to one by hand is an edit', async () => {
    const { dir, id, servers } = await serversOnOneDataset(2);
    const [writer, other] = servers as [(typeof servers)[0], (typeof servers)[0]];
    await waitUntil(async () => (await health(writer.base)).captionWriter === true);
    const image = writer.dataset.images()[0]!;
    const file = path.join(dir, image.file.replace(/\.[^.]+$/, '.txt'));
    await writer.dataset.apply({ type: 'set', imageId: image.id, tags: ['old', 'caption'] });
    await writer.dataset.captionsWritten();
    const oldCaption = await readFile(file, 'utf8');
    const { revision } = await writer.dataset.apply({
      type: 'set',
      imageId: image.id,
      tags: ['new', 'caption'],
    });
    // The writer records how far its files are; the other server reads it.
    await waitUntil(async () => ((await health(writer.base)).captionsRevision ?? 0) >= revision);
    await waitUntil(async () => ((await health(other.base)).captionsRevision ?? 0) >= revision);
    expect((await health(other.base)).captionWriter).toBe(false);

    // The writer goes; before the other server takes over, someone puts the old caption back.
    const lease = await holdLeaseAsWriterCloses(id, writer.server);
    await writeFile(file, oldCaption);
    const edits: unknown[] = [];
    other.dataset.on('external-edit', (edit) => edits.push(edit));
    await lease.release();
    await waitUntil(async () => (await health(other.base)).captionWriter === true);
    await other.dataset.reconciled();
    await captionsWritten(other.base);

    // Written past by the writer, so not a lagging write of civtag's: taken in, not written over.
    expect(edits).toHaveLength(1);
    expect(other.dataset.images().find((one) => one.id === image.id)?.tags).toEqual([
      'old',
      'caption',
    ]);
    expect(await readFile(file, 'utf8')).toBe(oldCaption);
  });

  it('take over captions left in the style before a settings change: rewritten, none taken for an edit', async () => {
    const { dir, id, servers } = await serversOnOneDataset(2);
    const [writer, other] = servers as [(typeof servers)[0], (typeof servers)[0]];
    await waitUntil(async () => (await health(writer.base)).captionWriter === true);
    await other.dataset.apply({ type: 'settings', changes: { triggerWord: 'sks' } });
    const images = other.dataset.images();
    const firstTags = async () =>
      [...(await captionTagsOnDisk(dir, images)).values()].map((tags) => tags[0]);
    await waitUntil(async () => (await firstTags()).every((tag) => tag === 'sks'));

    // No one writes the files while the trigger word changes: they keep the old one.
    const lease = await holdLeaseAsWriterCloses(id, writer.server);
    await other.dataset.apply({ type: 'settings', changes: { triggerWord: 'ohwx' } });
    const edits: unknown[] = [];
    other.dataset.on('external-edit', (edit) => edits.push(edit));
    const revision = other.dataset.revision;
    await lease.release();
    await waitUntil(async () => (await health(other.base)).captionWriter === true);
    await other.dataset.reconciled();
    await captionsWritten(other.base);

    expect(edits).toEqual([]);
    expect(other.dataset.revision).toBe(revision);
    const onDisk = [...(await captionTagsOnDisk(dir, images)).values()];
    expect(onDisk.every((tags) => tags[0] === 'ohwx' && !tags.includes('sks'))).toBe(true);
  });

  it('sweep the temporary files killed servers left in the shared folder, once they are old', async () => {
    const { dir, id, servers } = await serversOnOneDataset(2);
    const [writer, other] = servers as [(typeof servers)[0], (typeof servers)[0]];
    await waitUntil(async () => (await health(writer.base)).captionWriter === true);
    const lease = await holdLeaseAsWriterCloses(id, writer.server);
    // As a server killed mid-write leaves them (names as civtag's atomic writes make them).
    const folders = [dir, path.join(dir, '.civtag', 'thumbs'), path.join(dir, '.civtag', 'tmp')];
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const stale: string[] = [];
    const fresh: string[] = [];
    for (const [index, folder] of folders.entries()) {
      await mkdir(folder, { recursive: true });
      const old = path.join(folder, `.test_000${index}.txt.00000000000${index}.civtag-tmp`);
      await writeFile(old, 'left by a killed server');
      await utimes(old, hourAgo, hourAgo);
      stale.push(old);
      // One another server may be writing right now: too young to touch.
      const young = path.join(folder, `.test_000${index}.txt.00000000001${index}.civtag-tmp`);
      await writeFile(young, 'being written');
      fresh.push(young);
    }
    await lease.release();
    await waitUntil(async () => (await health(other.base)).captionWriter === true);
    await waitUntil(() => stale.every((file) => !existsSync(file)));
    expect(fresh.filter((file) => existsSync(file))).toEqual(fresh);
  });

  it('import on the server that writes the captions only', async () => {
    const { dir, servers } = await serversOnOneDataset(2);
    await waitUntil(async () => (await health(servers[0]!.base)).captionWriter === true);
    const source = path.join(path.dirname(dir), 'more');
    await writeImages(source, 2, 50);
    expect(() => servers[1]!.dataset.import(source)).toThrow(/captionWriter/);
    const progress = await servers[0]!.dataset.import(source).done;
    expect(progress).toMatchObject({ state: 'done', done: 2, failed: 0 });
    await waitUntil(() => servers[1]!.dataset.imageCount === 8);
  });

  it('answer a resent op with its first revision, whichever server receives it', async () => {
    const { servers } = await serversOnOneDataset(2);
    const image = (await fetchAllImages(servers[0]!.base)).images[0]!;
    const body = JSON.stringify({
      op: { type: 'add', target: { ids: [image.id] }, tags: ['once'] },
      clientId: 'script',
      opId: 'op-1',
    });
    const send = async (base: string) =>
      (await (
        await fetch(`${base}/api/ops`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
      ).json()) as OpResponse;
    const first = await send(servers[0]!.base);
    const again = await send(servers[1]!.base);
    expect(again).toMatchObject({ revision: first.revision, duplicate: true });
    expect(servers[1]!.dataset.revision).toBe(first.revision);
  });

  it('resume a client that comes from a server further ahead, without a reload', async () => {
    const { dir, servers } = await serversOnOneDataset(1);
    const ahead = servers[0]!;
    // A server that hears of the others' changes only when asked: no polling, and its listening
    // connection is cut below, so it stays behind until a client's hello makes it catch up.
    const store = storeNeverPolling(ahead.dataset.id);
    const behindDataset = await openDataset(dir, { store });
    const behind = { dataset: behindDataset, ...(await startServer(behindDataset, cleanUps)) };
    const admin = await adminClient();
    await cutListener(store, admin);

    const image = ahead.dataset.images()[0]!;
    const applied = await ahead.dataset.apply({
      type: 'add',
      target: { ids: [image.id] },
      tags: ['new'],
    });
    expect(behind.dataset.revision).toBeLessThan(applied.revision);

    const frames: ServerFrame[] = [];
    const socket = new WebSocket(behind.socketUrl, { origin: behind.origin });
    cleanUps.push(async () => socket.terminate());
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({
        v: 1,
        type: 'hello',
        data: { clientId: 'moved', since: applied.revision },
      }),
    );
    socket.send(
      JSON.stringify({
        v: 1,
        type: 'op',
        id: 'after-move',
        data: { op: { type: 'add', target: { ids: [image.id] }, tags: ['later'] } },
      }),
    );
    await waitUntil(() => frames.some((frame) => frame.type === 'ack' || frame.type === 'reject'));
    expect(frames[0]).toMatchObject({ type: 'welcome', data: { revision: applied.revision } });
    expect(frames.filter((frame) => frame.type === 'reload')).toEqual([]);
    expect(frames.find((frame) => frame.type === 'ack')).toMatchObject({
      id: 'after-move',
      data: { revision: applied.revision + 1 },
    });
  });
  it('catch up with the database before writing the captions it takes over, so that none is taken for an edit', async () => {
    const { dir, servers } = await serversOnOneDataset(1);
    const writer = servers[0]!;
    await waitUntil(async () => (await health(writer.base)).captionWriter === true);
    // A server that hears of the writer's changes only when asked (no polling, its listening
    // connection cut below): it is behind when it takes the captions over.
    const store = storeNeverPolling(writer.dataset.id);
    const behind = await openDataset(dir, { store, leaseRetryMs: 50 });
    cleanUps.push(() => behind.close());
    const admin = await adminClient();
    await cutListener(store, admin);

    const image = writer.dataset.images()[0]!;
    const applied = await writer.dataset.apply({
      type: 'add',
      target: { ids: [image.id] },
      tags: ['written'],
    });
    await writer.dataset.captionsWritten();
    expect(behind.revision).toBeLessThan(applied.revision);
    // The writer goes; the server behind takes the lease, with a caption newer than its state.
    await writer.server.close();
    await waitUntil(() => behind.writesCaptions);
    await behind.reconciled();
    await behind.captionsWritten();
    expect(behind.revision).toBe(applied.revision);
    expect(behind.images().find((one) => one.id === image.id)?.tags).toContain('written');
    expect((await captionTagsOnDisk(dir, behind.images())).get(image.id)).toContain('written');
  });

  it('take over with ops in flight: a caption the writer left is not taken for an edit, whichever path looks at it', async () => {
    const { dir, servers } = await serversOnOneDataset(1, 120);
    const writer = servers[0]!;
    await waitUntil(async () => (await health(writer.base)).captionWriter === true);
    await writer.dataset.apply({ type: 'add', target: { all: true }, tags: ['first'] });
    await writer.dataset.captionsWritten();

    const store = new PostgresSessionStore({
      connectionString: databaseUrl(),
      dataset: writer.dataset.id,
    });
    const next = await openDataset(dir, { store, leaseRetryMs: 50 });
    cleanUps.push(() => next.close());
    const externalEdits: unknown[] = [];
    next.on('external-edit', (edit) => externalEdits.push(edit));
    await waitUntil(() => next.revision === writer.dataset.revision);
    const revision = next.revision;

    // The writer goes (its lease's connection cut, as when its machine dies) while the entries
    // are locked: this server takes the captions over and waits to catch up, and the op it is
    // sent meanwhile waits behind that catch-up: its captions are queued before the files are
    // compared, and the file of the last image is still being written when they are.
    const admin = await adminClient();
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE civtag_entries IN ACCESS EXCLUSIVE MODE');
    const leases = async () =>
      Number(
        (
          await admin.query(
            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted",
          )
        ).rows[0].n,
      );
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted",
    );
    await waitUntil(async () => (await leases()) === 0, 10);
    await waitUntil(async () => (await leases()) === 1, 10);
    const inFlight = next.apply({ type: 'add', target: { all: true }, tags: ['second'] });
    await admin.query('COMMIT');
    expect((await inFlight).revision).toBe(revision + 1);
    await next.reconciled();
    await waitUntil(async () =>
      [...(await captionTagsOnDisk(dir, next.images())).values()].every((tags) =>
        tags.includes('second'),
      ),
    );
    // Every file held the caption the writer left (the op's "before"): civtag's own, no edit.
    expect(externalEdits).toEqual([]);
    expect(next.revision).toBe(revision + 1);
  });
});
