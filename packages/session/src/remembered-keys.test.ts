import { describe, expect, it } from 'vitest';
import { RememberedKeys } from './remembered-keys.js';

describe('RememberedKeys', () => {
  it('keeps the most recent keys up to its capacity, oldest first', () => {
    const keys = new RememberedKeys<string>(2);
    keys.remember({ clientId: 'a', opId: '1' }, { revision: 1, result: 'one' });
    keys.remember({ clientId: 'a', opId: '2' }, { revision: 2, result: 'two' });
    keys.remember({ clientId: 'b', opId: '1' }, { revision: 3, result: 'three' });
    expect(keys.get({ clientId: 'a', opId: '1' })).toBeUndefined();
    expect(keys.get({ clientId: 'b', opId: '1' })).toEqual({ revision: 3, result: 'three' });
    expect(keys.list().map((key) => key.revision)).toEqual([2, 3]);
  });

  it('does not confuse keys whose parts join to the same text', () => {
    const keys = new RememberedKeys<number>(10);
    keys.remember({ clientId: 'a:b', opId: 'c' }, { revision: 1, result: 1 });
    expect(keys.get({ clientId: 'a', opId: 'b:c' })).toBeUndefined();
  });

  it('keeps of each answer what it is told to keep', () => {
    const keys = new RememberedKeys<string[]>(10, (result) =>
      result.length > 2 ? [`${result.length} items`] : result,
    );
    keys.remember({ clientId: 'a', opId: '1' }, { revision: 1, result: ['x', 'y'] });
    keys.remember({ clientId: 'a', opId: '2' }, { revision: 2, result: ['x', 'y', 'z'] });
    expect(keys.get({ clientId: 'a', opId: '1' })?.result).toEqual(['x', 'y']);
    expect(keys.get({ clientId: 'a', opId: '2' })).toEqual({ revision: 2, result: ['3 items'] });
    expect(keys.list().map((key) => key.result)).toEqual([['x', 'y'], ['3 items']]);
  });
});
