import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild, removeBundles } from './child/bundle-child.js';
import { type RunningChild, startChild } from './child/running-child.js';
import { temporaryFolder } from './temporary-folder.js';

const RACES = Number(process.env.CIVTAG_SESSION_RACES ?? 100);
/** Every this many races the owner is killed; otherwise it closes (a fresh process is costly). */
const KILL_EVERY = Number(process.env.CIVTAG_SESSION_KILL_EVERY ?? 3);

let bundle: string;
beforeAll(async () => {
  bundle = await bundleChild();
});
afterAll(removeBundles);

/** Contenders waiting for `go`; the loser of a race waits for the next one. */
class ContenderPool {
  private readonly waiting: Promise<RunningChild>[] = [];
  readonly all: RunningChild[] = [];

  constructor(private readonly dir: string) {}

  /** A contender that has printed `ready`, starting new ones ahead of need. */
  take(): Promise<RunningChild> {
    while (this.waiting.length < 3) {
      const started = this.start();
      // Contenders still starting when the test ends are killed: not a failure.
      started.catch(() => undefined);
      this.waiting.push(started);
    }
    return this.waiting.shift() as Promise<RunningChild>;
  }

  /** Puts a contender that lost back, once it is ready again. */
  giveBack(child: RunningChild, from: number): void {
    const ready = child.waitForLine((line) => line === 'ready', from).then(() => child);
    ready.catch(() => undefined);
    this.waiting.unshift(ready);
  }

  private async start(): Promise<RunningChild> {
    const child = startChild(bundle, ['race', this.dir]);
    this.all.push(child);
    await child.waitForLine((line) => line === 'ready');
    return child;
  }
}

describe('two processes opening one dataset', () => {
  it(
    'gives the lock to exactly one, and to the next at once after the owner is killed or closes',
    async () => {
      const dir = await temporaryFolder();
      const pool = new ContenderPool(dir);
      try {
        for (let race = 0; race < RACES; race += 1) {
          const contenders = await Promise.all([pool.take(), pool.take()]);
          const from = contenders.map((child) => child.lines.length);
          // Both open at once; from the second race on, over the lock of a killed owner.
          for (const child of contenders) child.process.stdin?.write('go\n');
          const results = await Promise.all(
            contenders.map((child, index) =>
              child.waitForLine(
                (line) => line === 'owner' || line.startsWith('locked '),
                from[index],
              ),
            ),
          );
          expect(results.filter((result) => result === 'owner')).toHaveLength(1);
          const ownerIndex = results.indexOf('owner');
          const owner = contenders[ownerIndex] as RunningChild;
          const loser = contenders[1 - ownerIndex] as RunningChild;
          const details = JSON.parse((results[1 - ownerIndex] as string).slice('locked '.length));
          expect(details).toMatchObject({ pid: owner.process.pid });
          expect(typeof details.startedAt).toBe('string');
          pool.giveBack(loser, from[1 - ownerIndex] as number);
          if (race % KILL_EVERY === 0) {
            owner.process.kill('SIGKILL');
            await owner.exited;
          } else {
            const closing = owner.lines.length;
            owner.process.stdin?.write('close\n');
            await owner.waitForLine((line) => line === 'closed', closing);
            pool.giveBack(owner, closing);
          }
        }
      } finally {
        for (const child of pool.all) child.process.kill('SIGKILL');
        await Promise.all(pool.all.map((child) => child.exited));
      }
    },
    Math.max(180_000, RACES * 2_000),
  );
});
