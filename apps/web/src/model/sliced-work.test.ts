import { describe, expect, it } from 'vitest';
import { mapInSlices, yieldToMain } from './sliced-work.js';

describe('mapInSlices', () => {
  it('maps every item in order and yields between slices, not before the first or after the last', async () => {
    const events: string[] = [];
    const mapped = await mapInSlices(
      [1, 2, 3, 4, 5],
      (item, index) => {
        events.push(`map ${index}`);
        return (item as number) * 10;
      },
      {
        sliceSize: 2,
        yieldToMain: async () => {
          events.push('yield');
        },
      },
    );
    expect(mapped).toEqual([10, 20, 30, 40, 50]);
    expect(events).toEqual(['map 0', 'map 1', 'yield', 'map 2', 'map 3', 'yield', 'map 4']);
  });

  it('lets other tasks run between slices with the default yield', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    await mapInSlices([1, 2], (item) => order.push(`item ${item}`), { sliceSize: 1 });
    expect(order).toEqual(['item 1', 'timer', 'item 2']);
  });

  it('stops at the next slice once aborted, rejecting with the reason', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const mapping = mapInSlices(
      [0, 1, 2, 3],
      (item) => {
        seen.push(item as number);
        if (item === 1) controller.abort(new Error('scrolled away'));
        return item;
      },
      { sliceSize: 2, signal: controller.signal },
    );
    await expect(mapping).rejects.toThrow('scrolled away');
    expect(seen).toEqual([0, 1]);
  });

  it('rejects with the error of an item and maps none after it', async () => {
    const seen: number[] = [];
    const mapping = mapInSlices(
      [0, 1, 2, 3],
      (item) => {
        seen.push(item as number);
        if (item === 2) throw new Error('record 2 is not a record');
        return item;
      },
      { sliceSize: 2 },
    );
    await expect(mapping).rejects.toThrow('record 2 is not a record');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('maps nothing for an empty list', async () => {
    expect(await mapInSlices([], (item) => item, { sliceSize: 3 })).toEqual([]);
  });
});

describe('yieldToMain', () => {
  it('resolves after the tasks already queued', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('queued'), 0);
    await yieldToMain();
    order.push('after the yield');
    expect(order).toEqual(['queued', 'after the yield']);
  });
});
