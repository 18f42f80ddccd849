import type { HealthResponse, ImageRecord } from '@civtag/api-models';
import { startPostgres, type TestPostgres } from '@civtag/test-postgres';
import { createClient } from '@civtag/ws-client';
import type { Change, TagOp } from '@civtag/ws-protocol';
import { afterAll, beforeAll } from 'vitest';
import { WebSocket } from 'ws';

/**
 * Starts a PostgreSQL server for the test file (before its tests, stopped after them); the
 * returned function gives it, failing plainly when it did not start.
 */
export function usePostgres(): () => TestPostgres {
  let postgres: TestPostgres | undefined;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
  });
  return () => {
    if (postgres === undefined) throw new Error('The test PostgreSQL server did not start.');
    return postgres;
  };
}

/** A small seeded generator, so a failure can be replayed. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = ['cat', 'dog', 'red', 'blue', 'outdoors', 'smile', 'hat'];

/** A random tagging op on the images `ids`: a set, an add to one image, a remove from all. */
export function randomOp(next: () => number, ids: string[]): TagOp {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const roll = next();
  if (roll < 0.4)
    return {
      type: 'set',
      imageId: pick(ids),
      tags: [pick(VOCABULARY), pick(VOCABULARY)].filter(
        (tag, index, all) => all.indexOf(tag) === index,
      ),
    };
  if (roll < 0.8) return { type: 'add', target: { ids: [pick(ids)] }, tags: [pick(VOCABULARY)] };
  return { type: 'remove', target: { all: true }, tags: [pick(VOCABULARY)] };
}

/** A client's picture of the dataset: the images it fetched, then every change it was sent. */
export class ClientView {
  readonly tags = new Map<string, string[]>();
  revision: number;

  constructor(snapshot: { revision: number; images: { id: string; tags: string[] }[] }) {
    this.revision = snapshot.revision;
    for (const image of snapshot.images) this.tags.set(image.id, [...image.tags]);
  }

  apply(change: Change): void {
    if (change.revision <= this.revision) return;
    for (const image of change.changes) this.tags.set(image.imageId, [...image.tags]);
    this.revision = change.revision;
  }
}

/** A `@civtag/ws-client` on `url` from `start`, and the view it keeps; closed on clean-up. */
export function follow(
  url: string,
  clientId: string,
  start: { revision: number; images: ImageRecord[] },
  cleanUps: (() => Promise<void>)[],
) {
  const view = new ClientView(start);
  const client = createClient({
    url,
    WebSocket: WebSocket as never,
    clientId,
    since: start.revision,
  });
  client.on('change', (change: Change) => view.apply(change));
  cleanUps.push(async () => client.close());
  return { client, view };
}

/** `GET /api/health` of the server at `base` (`http://host:port`). */
export async function health(base: string): Promise<HealthResponse> {
  return (await (await fetch(`${base}/api/health`)).json()) as HealthResponse;
}
