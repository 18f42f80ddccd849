import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PrepareAndPlaceOptions, prepareAndPlace } from './import-batches.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options that record what was prepared, placed and discarded. */
function recorder(overrides: Partial<PrepareAndPlaceOptions<number, number>> = {}) {
  const batches: number[][] = [];
  const discarded: number[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let mostAhead = 0;
  let placedCount = 0;
  let started = 0;
  const options: PrepareAndPlaceOptions<number, number> = {
    concurrency: 3,
    window: 6,
    batchLimit: 4,
    batchDelayMs: 5,
    prepare: async (item) => {
      started += 1;
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      mostAhead = Math.max(mostAhead, started - placedCount);
      await tick((item * 7) % 5);
      inFlight -= 1;
      return item * 10;
    },
    place: async (batch) => {
      for (const { item, result } of batch) expect(result).toBe(item * 10);
      batches.push(batch.map(({ item }) => item));
      await tick(1);
      placedCount += batch.length;
    },
    shouldStop: () => false,
    discard: async (result) => {
      discarded.push(result);
    },
    ...overrides,
  };
  return {
    options,
    batches,
    discarded,
    most: () => ({ inFlight: mostInFlight, ahead: mostAhead }),
  };
}

describe('prepareAndPlace', () => {
  it('places every item once, in order, in batches that start at one and grow to the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 40 }), async (count) => {
        const run = recorder();
        const items = [...Array(count).keys()];
        await prepareAndPlace(items, run.options);
        expect(run.batches.flat()).toEqual(items);
        if (count > 0) expect(run.batches[0]).toHaveLength(1);
        for (const [index, batch] of run.batches.entries()) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(Math.min(2 ** index, 4));
        }
        expect(run.discarded).toEqual([]);
        expect(run.most().inFlight).toBeLessThanOrEqual(3);
        expect(run.most().ahead).toBeLessThanOrEqual(6);
      }),
      { numRuns: 15 },
    );
  });

  it('takes several results into one batch when they are ready together', async () => {
    const run = recorder({ concurrency: 8, window: 8, batchLimit: 8, batchDelayMs: 50 });
    run.options.prepare = async (item) => item * 10;
    await prepareAndPlace([...Array(16).keys()], run.options);
    expect(run.batches.flat()).toEqual([...Array(16).keys()]);
    expect(Math.max(...run.batches.map((batch) => batch.length))).toBeGreaterThan(1);
  });

  it('once stopped, places nothing more, lets preparations finish and discards their results', async () => {
    let stop = false;
    let unfinished = 0;
    const run = recorder({
      shouldStop: () => stop,
      prepare: async (item) => {
        unfinished += 1;
        await tick(2);
        unfinished -= 1;
        return item * 10;
      },
    });
    const place = run.options.place;
    run.options.place = async (batch) => {
      await place(batch);
      if (run.batches.flat().length >= 3) stop = true;
    };
    await prepareAndPlace([...Array(30).keys()], run.options);
    expect(unfinished).toBe(0);
    const placed = run.batches.flat();
    expect(placed).toEqual([...Array(placed.length).keys()]);
    expect(placed.length).toBeLessThan(30);
    // Every item prepared is either placed or discarded, never both.
    for (const result of run.discarded) expect(placed).not.toContain(result / 10);
    expect(run.discarded.length).toBeGreaterThan(0);
  });

  it('rethrows a failed placement once the preparations in flight have finished, discarding theirs', async () => {
    let unfinished = 0;
    const run = recorder({
      prepare: async (item) => {
        unfinished += 1;
        await tick(1);
        unfinished -= 1;
        return item * 10;
      },
      place: async (batch) => {
        if (batch.some(({ item }) => item >= 3)) throw new RangeError('disk full');
        run.batches.push(batch.map(({ item }) => item));
      },
    });
    await expect(prepareAndPlace([...Array(20).keys()], run.options)).rejects.toThrow('disk full');
    expect(unfinished).toBe(0);
    expect(run.batches.flat()).toEqual([0, 1, 2]);
    // The failed batch's own results are its placer's to clean up; later ones are discarded.
    expect(run.discarded.length).toBeGreaterThan(0);
    expect(Math.min(...run.discarded)).toBeGreaterThanOrEqual(30);
  });

  it('rethrows a failed preparation when its turn to be placed comes', async () => {
    const run = recorder({
      prepare: async (item) => {
        if (item === 5) throw new RangeError('unreadable');
        return item * 10;
      },
    });
    await expect(prepareAndPlace([...Array(10).keys()], run.options)).rejects.toThrow('unreadable');
    expect(run.batches.flat()).toEqual([0, 1, 2, 3, 4]);
  });
});
