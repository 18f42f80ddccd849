import type { ImageRecord } from '@civtag/api-models';
import { CivtagError } from '@civtag/api-models';
import { type CivtagClient, createClient } from '@civtag/ws-client';
import type { Change } from '@civtag/ws-protocol';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  ClientView,
  captionsWritten,
  captionTagsOnDisk,
  fetchAllImages,
  makeDataset,
  random,
  type ServeProcess,
  scratchFolder,
  spawnServe,
  stopOnCleanUp,
  waitUntil,
} from './harness.js';
import { health, randomOp, usePostgres } from './several-servers.js';

/**
 * The size of the run: ops in all, and clients. The defaults keep it near a minute on a busy
 * two-core machine; the long runs raise them (`CIVTAG_CHAOS_OPS=20000`).
 */
const OPS = Number(process.env.CIVTAG_CHAOS_OPS ?? 2_400);
const CLIENTS = Number(process.env.CIVTAG_CHAOS_CLIENTS ?? 30);
const SEED = Number(process.env.CIVTAG_CHAOS_SEED ?? 7);

/** What a client does with a refusal: these say "send it again" (with the same key). */
const RESEND = new Set(['IO_ERROR', 'CLIENT_CLOSED', 'SHUTTING_DOWN', 'SESSION_CLOSED', 'TIMEOUT']);

const postgres = usePostgres();

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const base = (serve: ServeProcess) => `http://127.0.0.1:${serve.port}`;

/** One of the three servers: the `civtag serve` running in it now, replaced when it is killed. */
interface Slot {
  serve: ServeProcess;
  /** Set while the test kills and restarts it: an exit then is expected. */
  killing: boolean;
}

/** A browser-like client: a socket on one server, moved to another when that one dies. */
interface Tagger {
  clientId: string;
  slot: number;
  client: CivtagClient;
  view: ClientView;
  reloads: number;
}

describe('civtag serve --database under chaos', () => {
  it('apply every acknowledged op once, in one order, with servers and PostgreSQL killed and restarted', async () => {
    const next = random(SEED);
    const root = await scratchFolder(cleanUps);
    const made = await makeDataset(root, 8);
    const dir = made.dir;
    await made.close();
    // As the deployment guide says: a role of its own, owning the database civtag migrates.
    const admin = new pg.Client({ connectionString: postgres().url });
    await admin.connect();
    await admin.query("CREATE ROLE civtag LOGIN PASSWORD 'chaos-secret'");
    await admin.query('CREATE DATABASE civtag OWNER civtag');
    await admin.end();
    const url = `postgres://civtag:chaos-secret@127.0.0.1:${postgres().port}/civtag`;
    const serveArgs = [dir, '--port', '0', '--database', url];
    const unexpectedExits: string[] = [];
    const watch = (slot: Slot) => {
      const serve = slot.serve;
      stopOnCleanUp(serve, cleanUps);
      void serve.exited.then(({ code, signal }) => {
        if (!slot.killing) unexpectedExits.push(`exit ${code ?? signal}:\n${serve.output()}`);
      });
    };
    const slots: Slot[] = [];
    for (const serve of await Promise.all([0, 1, 2].map(() => spawnServe(serveArgs)))) {
      const slot = { serve, killing: false };
      slots.push(slot);
      watch(slot);
    }
    const start = await fetchAllImages(base(slots[0]!.serve));
    const ids = start.images.map((image) => image.id);

    // Clients spread over the servers; each moves on with the revision it has seen.
    const connect = (tagger: Omit<Tagger, 'client'> & { client?: CivtagClient }, slot: number) => {
      tagger.client?.close();
      tagger.slot = slot;
      const client = createClient({
        url: `ws://127.0.0.1:${slots[slot]!.serve.port}/ws`,
        WebSocket: WebSocket as never,
        clientId: tagger.clientId,
        since: tagger.view.revision,
      });
      client.on('change', (change: Change) => tagger.view.apply(change));
      client.on('reload', () => {
        tagger.reloads += 1;
      });
      tagger.client = client;
      return tagger as Tagger;
    };
    const taggers: Tagger[] = [];
    for (let index = 0; index < CLIENTS; index += 1) {
      const tagger = {
        clientId: `client-${index}`,
        slot: 0,
        view: new ClientView(start),
        reloads: 0,
      };
      taggers.push(connect(tagger, index % slots.length));
    }
    cleanUps.push(async () => {
      for (const tagger of taggers) tagger.client.close();
    });

    // Every client sends its share one op at a time, sending a refused op again with its key.
    const acked: { clientId: string; opId: string; revision: number }[] = [];
    const refusals: string[] = [];
    const work = taggers.map(async (tagger, index) => {
      const share = Math.floor(OPS / CLIENTS) + (index < OPS % CLIENTS ? 1 : 0);
      for (let count = 0; count < share; count += 1) {
        const op = randomOp(next, ids);
        const opId = `op-${count}`;
        for (;;) {
          try {
            const { revision } = await tagger.client.send(op, { opId });
            acked.push({ clientId: tagger.clientId, opId, revision });
            break;
          } catch (error) {
            if (!CivtagError.isInstance(error) || !RESEND.has(error.code)) {
              refusals.push(`${tagger.clientId} ${opId}: ${String(error)}`);
              return;
            }
            if (error.code !== 'CLIENT_CLOSED')
              await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
    });

    const liveSlots = () =>
      slots.map((_, index) => index).filter((index) => !slots[index]!.killing);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const reached = (fraction: number) => waitUntil(() => acked.length >= OPS * fraction, 50);
    /** SIGKILLs a server, moves its clients to the others at once, starts it again. */
    const killAndRestart = async (index: number) => {
      const slot = slots[index]!;
      slot.killing = true;
      slot.serve.child.kill('SIGKILL');
      await slot.serve.exited;
      const others = liveSlots();
      for (const tagger of taggers) if (tagger.slot === index) connect(tagger, pick(others));
      const fresh = { serve: await spawnServe(serveArgs), killing: false };
      slots[index] = fresh;
      watch(fresh);
      // Some clients move to the new server, mid-stream.
      for (const tagger of taggers) if (next() < 1 / 3) connect(tagger, index);
    };
    const writerSlot = async () => {
      let found = -1;
      await waitUntil(async () => {
        const states = await Promise.all(slots.map((slot) => health(base(slot.serve))));
        found = states.findIndex((state) => state.captionWriter);
        return found >= 0;
      }, 50);
      return found;
    };
    const chaos = (async () => {
      await reached(0.15);
      await killAndRestart(await writerSlot());
      await reached(0.35);
      await killAndRestart(pick([0, 1, 2]));
      await reached(0.5);
      await postgres().restart();
      await reached(0.65);
      await killAndRestart(pick([0, 1, 2]));
      await reached(0.8);
      await killAndRestart(await writerSlot());
    })();
    await Promise.all([...work, chaos]);
    expect(refusals).toEqual([]);
    expect(unexpectedExits).toEqual([]);

    // Exactly once: one revision per op, no two ops on one revision, none besides them.
    expect(acked).toHaveLength(OPS);
    expect(new Set(acked.map((ack) => ack.revision)).size).toBe(OPS);
    const last = start.revision + OPS;
    const highest = Math.max(...acked.map((ack) => ack.revision));
    if (highest !== last) {
      // A revision no client was given: show what took it, as the database holds it.
      const taken = new Set(acked.map((ack) => ack.revision));
      const unacked: number[] = [];
      for (let revision = start.revision + 1; revision <= highest; revision += 1)
        if (!taken.has(revision)) unacked.push(revision);
      const database = new pg.Client({ connectionString: url });
      await database.connect();
      const rows = await database.query(
        'SELECT seq, revision, client_id, op_id, line FROM civtag_entries WHERE revision = ANY($1) ORDER BY seq',
        [unacked],
      );
      await database.end();
      expect(rows.rows).toEqual([]);
    }
    expect(highest).toBe(last);

    // One order on every server: the same changes, each the op acknowledged at its revision.
    await waitUntil(async () =>
      (await Promise.all(slots.map((slot) => fetchAllImages(base(slot.serve))))).every(
        (state) => state.revision === last,
      ),
    );
    // A restarted server's feed goes back to the snapshot it started from, not further: each
    // server's is read from the oldest revision it holds, and they agree where they overlap.
    const changesOf = async (serve: ServeProcess, since: number) =>
      (await (await fetch(`${base(serve)}/api/changes?since=${since}`)).json()) as {
        reload: boolean;
        changes: Change[];
      };
    const byRevision = new Map<number, string>();
    for (const slot of slots) {
      let [low, high] = [start.revision, last];
      while (low < high) {
        const middle = Math.floor((low + high) / 2);
        if ((await changesOf(slot.serve, middle)).reload) low = middle + 1;
        else high = middle;
      }
      const feed = await changesOf(slot.serve, low);
      expect(feed.reload).toBe(false);
      for (const change of feed.changes) {
        const text = JSON.stringify(change);
        expect(byRevision.get(change.revision) ?? text).toBe(text);
        byRevision.set(change.revision, text);
      }
    }
    expect(byRevision.size).toBeGreaterThan(0);
    for (const ack of acked) {
      const change = byRevision.get(ack.revision);
      // An op that changed no image takes its revision but is not in the feed.
      if (change !== undefined)
        expect(JSON.parse(change)).toMatchObject({ clientId: ack.clientId, opId: ack.opId });
    }

    // Every client ends with the servers' tags, without a reload, moved or not.
    const final = await fetchAllImages(base(slots[0]!.serve));
    const expected = new Map(final.images.map((image: ImageRecord) => [image.id, image.tags]));
    for (const slot of slots.slice(1))
      expect(
        new Map(
          (await fetchAllImages(base(slot.serve))).images.map((image) => [image.id, image.tags]),
        ),
      ).toEqual(expected);
    const same = (tags: Map<string, string[]>) =>
      JSON.stringify([...tags]) === JSON.stringify([...expected]);
    await waitUntil(() => taggers.every((tagger) => same(tagger.view.tags)));
    expect(taggers.map((tagger) => tagger.reloads)).toEqual(taggers.map(() => 0));

    // The caption files follow the state, written by the one server holding the lease.
    const writer = slots[await writerSlot()]!.serve;
    await captionsWritten(base(writer));
    await waitUntil(async () => same(await captionTagsOnDisk(dir, final.images)));
    // And it records that they are, for every server to read.
    await waitUntil(async () =>
      (await Promise.all(slots.map((slot) => health(base(slot.serve))))).every(
        (state) => state.captionsRevision === last,
      ),
    );
  }, 240_000);
});
