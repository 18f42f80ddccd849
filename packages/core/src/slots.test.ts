import { describe, expect, it } from 'vitest';
import { Slots } from './slots.js';

/** A promise with its resolve and reject at hand. */
function deferred(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
} {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  return { promise, resolve, reject };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Slots', () => {
  it('runs at most its count at once, the rest in the order they came, and frees a slot on failure', async () => {
    const slots = new Slots(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const runs = gates.map((gate, index) =>
      slots.run(async () => {
        started.push(index);
        running += 1;
        most = Math.max(most, running);
        try {
          await gate.promise;
          return index;
        } finally {
          running -= 1;
        }
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    gates[1]?.reject(new Error('no room'));
    await expect(runs[1]).rejects.toThrow('no room');
    await turn();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.allSettled(runs)).toMatchObject([
      { status: 'fulfilled', value: 0 },
      { status: 'rejected' },
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 3 },
      { status: 'fulfilled', value: 4 },
    ]);
    expect(most).toBe(2);
    // Every slot is free again: two run at once without waiting.
    const both = [deferred(), deferred()];
    const again = both.map((gate) => slots.run(() => gate.promise));
    await turn();
    for (const gate of both) gate.resolve();
    await Promise.all(again);
  });
});
