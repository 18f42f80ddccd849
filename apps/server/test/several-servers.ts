import type { HealthResponse } from '@civtag/api-models';
import { startPostgres, type TestPostgres } from '@civtag/test-postgres';
import type { TagOp } from '@civtag/ws-protocol';
import { afterAll, beforeAll } from 'vitest';

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

/** `GET /api/health` of the server at `base` (`http://host:port`). */
export async function health(base: string): Promise<HealthResponse> {
  return (await (await fetch(`${base}/api/health`)).json()) as HealthResponse;
}
