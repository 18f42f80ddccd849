import { describe, expect, it } from 'vitest';
import { mapInOrder, runBounded } from './run-bounded.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runBounded', () => {
  it('never has more than the limit in flight and visits every item', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await runBounded([...Array(20).keys()], 3, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick(item % 3);
      seen.push(item);
      inFlight -= 1;
    });
    expect(most).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('rethrows the first failure', async () => {
    await expect(
      runBounded([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new RangeError('two');
      }),
    ).rejects.toThrow('two');
  });
});

describe('mapInOrder', () => {
  it('consumes results in item order although workers finish out of order', async () => {
    const consumed: number[] = [];
    await mapInOrder([5, 1, 4, 2, 3], {
      limit: 3,
      worker: async (item) => {
        await tick(item * 3);
        return item * 10;
      },
      consume: async (result) => {
        consumed.push(result);
      },
    });
    expect(consumed).toEqual([50, 10, 40, 20, 30]);
  });

  it('stops starting work once asked to, and waits for the work in flight', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    let stop = false;
    await mapInOrder([...Array(10).keys()], {
      limit: 2,
      shouldStop: () => stop,
      worker: async (item) => {
        started.push(item);
        await tick(2);
        finished.push(item);
        return item;
      },
      consume: async (item) => {
        if (item === 2) stop = true;
      },
    });
    expect(started.length).toBeLessThan(10);
    expect(finished.sort()).toEqual(started.sort());
  });
});
