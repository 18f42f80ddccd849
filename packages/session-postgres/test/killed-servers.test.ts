import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild, removeBundles } from './child/bundle-child.js';
import { type RunningChild, startChild } from './child/running-child.js';
import { newDataset, openList, storeOf, usePostgres } from './postgres.js';

const { server } = usePostgres();
const KILLS = 12;
/** At most this many acknowledgements between two kills (a random number below it). */
const ACKS_PER_ROUND = 300;

let bundle: string;
beforeAll(async () => {
  bundle = await bundleChild();
});
afterAll(removeBundles);

/** Every server process started, to read what each printed. */
const started: RunningChild[] = [];

/** Starts a server process for `client`, resending `last` (the last op it acknowledged). */
function startServer(dataset: string, client: string, last: number): RunningChild {
  const child = startChild(bundle, [server().url, dataset, client]);
  started.push(child);
  child.process.stdin?.write(last === 0 ? 'none\n' : `last ${last}\n`);
  return child;
}

/** The acknowledgements a process printed: op number → revision. */
function acksOf(child: RunningChild): Map<number, number> {
  const acks = new Map<number, number>();
  for (const line of child.lines) {
    const [word, n, revision] = line.split(' ');
    if (word === 'ack') acks.set(Number(n), Number(revision));
  }
  return acks;
}

describe('servers SIGKILLed while they write to one dataset, and PostgreSQL restarted once', () => {
  it('keeps every acknowledged op exactly once, at its revision, in one order for all', async () => {
    const dataset = newDataset();
    const observer = await openList(storeOf(server(), dataset));
    const acknowledged = new Map<string, number>();
    const last = { a: 0, b: 0 };
    const running = { a: startServer(dataset, 'a', 0), b: startServer(dataset, 'b', 0) };
    /** Acknowledgements waited for: the ops there must be at least (1,701 with this seed). */
    let awaited = 0;
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % below;
    };
    for (let kill = 0; kill < KILLS; kill += 1) {
      const victim = kill % 2 === 0 ? 'a' : 'b';
      const child = running[victim];
      // Let it acknowledge a few more ops (the other keeps writing meanwhile), then kill it.
      const from = child.lines.length;
      const more = 1 + random(ACKS_PER_ROUND);
      awaited += more;
      for (let index = 0; index < more; index += 1) {
        await child.waitForLine((line) => line.startsWith('ack '), from + index);
      }
      if (kill === KILLS / 2) {
        // PostgreSQL itself goes down (a fast shutdown, its connections cut) and comes back,
        // while both servers write: they are refused meanwhile and send their op again.
        await server().restart();
        await child.waitForLine((line) => line.startsWith('ack '), child.lines.length);
      }
      child.process.kill('SIGKILL');
      await child.exited;
      for (const [n, revision] of acksOf(child)) acknowledged.set(`${victim}-${n}`, revision);
      const dup = child.lines.find((line) => line.startsWith('dup '));
      if (last[victim] > 0) {
        // The op acknowledged last before the previous kill was answered, not applied again.
        expect(dup).toBe(
          `dup ${last[victim]} ${acknowledged.get(`${victim}-${last[victim]}`)} true`,
        );
      }
      last[victim] = Math.max(last[victim], ...acksOf(child).keys());
      running[victim] = startServer(dataset, victim, last[victim]);
    }
    for (const child of Object.values(running)) {
      await child.waitForLine((line) => line.startsWith('ack '));
      child.process.kill('SIGKILL');
      await child.exited;
      for (const [n, revision] of acksOf(child)) {
        acknowledged.set(`${child === running.a ? 'a' : 'b'}-${n}`, revision);
      }
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(awaited);
    // The restart was felt: ops were refused while PostgreSQL was down (and sent again).
    const lines = started.flatMap((child) => child.lines);
    expect(lines.some((line) => line.startsWith('refused '))).toBe(true);
    const fresh = await openList(storeOf(server(), dataset));
    await observer.catchUp();
    const items = fresh.state.items;
    // Nothing twice: an op in flight at a kill and sent again is there once.
    expect(new Set(items).size).toBe(items.length);
    for (const [value, revision] of acknowledged) expect(items[revision - 1]).toBe(value);
    // The server that watched it all has the same state and the same order of revisions.
    expect(observer.revision).toBe(fresh.revision);
    expect(observer.state).toEqual(fresh.state);
  });
});
