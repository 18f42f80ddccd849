import { describe, expect, it } from 'vitest';
import { listStyle, placeList, samePlacement } from './list-placement.js';

const field = (top: number) => ({ left: 20, width: 300, top, bottom: top + 30 });

describe('placeList', () => {
  it('opens below the field when the list fits there', () => {
    const placement = placeList(field(100), 200, 900);
    expect(placement).toMatchObject({ side: 'below', offset: 134, left: 20, width: 300 });
    expect(listStyle(placement)).toMatchObject({ top: '134px', bottom: 'auto' });
  });

  it('opens above a field near the bottom of the window, with every suggestion in view', () => {
    const placement = placeList(field(800), 260, 900);
    expect(placement.side).toBe('above');
    expect(placement.maxHeight).toBeGreaterThanOrEqual(260);
    expect(listStyle(placement)).toMatchObject({ bottom: '104px', top: 'auto' });
  });

  it('stays below when neither side holds it and below has more room', () => {
    expect(placeList(field(300), 2000, 900)).toMatchObject({ side: 'below', maxHeight: 558 });
  });

  it('knows when a placement is unchanged', () => {
    const placement = placeList(field(100), 200, 900);
    expect(samePlacement(placement, { ...placement })).toBe(true);
    expect(samePlacement(null, placement)).toBe(false);
    expect(samePlacement(placement, placeList(field(800), 260, 900))).toBe(false);
  });
});
