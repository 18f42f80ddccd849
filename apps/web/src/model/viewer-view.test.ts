import { describe, expect, it } from 'vitest';
import {
  actualSizeView,
  clampView,
  fitView,
  isFitted,
  MAX_SCALE,
  panView,
  zoomView,
} from './viewer-view.js';

const stage = { width: 800, height: 600 };
const wide = { width: 2000, height: 1000 };
const small = { width: 100, height: 50 };

describe('the image viewer’s view', () => {
  it('fits the whole image in the stage, centred, small images enlarged', () => {
    expect(fitView(wide, stage)).toEqual({ scale: 0.4, x: 0, y: 100 });
    expect(fitView(small, stage)).toEqual({ scale: 8, x: 0, y: 100 });
    expect(isFitted(fitView(wide, stage), wide, stage)).toBe(true);
  });

  it('zooms about the pointer: the image pixel under it stays under it', () => {
    const fitted = fitView(wide, stage);
    const anchor = { x: 200, y: 300 };
    const pixelUnder = (view: { scale: number; x: number; y: number }) => ({
      x: (anchor.x - view.x) / view.scale,
      y: (anchor.y - view.y) / view.scale,
    });
    const zoomed = zoomView(fitted, 2, anchor, wide, stage);
    expect(zoomed.scale).toBeCloseTo(0.8);
    expect(pixelUnder(zoomed).x).toBeCloseTo(pixelUnder(fitted).x);
    expect(pixelUnder(zoomed).y).toBeCloseTo(pixelUnder(fitted).y);
  });

  it('zooms out no further than the fit (or 1:1 for a small image) and in no further than the most', () => {
    const fitted = fitView(wide, stage);
    expect(zoomView(fitted, 0.1, { x: 0, y: 0 }, wide, stage)).toEqual(fitted);
    expect(zoomView(fitted, 1e6, { x: 400, y: 300 }, wide, stage).scale).toBe(MAX_SCALE);
    const smallFitted = fitView(small, stage);
    expect(zoomView(smallFitted, 0.01, { x: 0, y: 0 }, small, stage).scale).toBe(1);
  });

  it('shows 1:1 about a point, and pans no further than the image’s edges', () => {
    const actual = actualSizeView(fitView(wide, stage), { x: 400, y: 300 }, wide, stage);
    expect(actual).toEqual({ scale: 1, x: -600, y: -200 });
    expect(panView(actual, 10_000, 10_000, wide, stage)).toEqual({ scale: 1, x: 0, y: 0 });
    expect(panView(actual, -10_000, -10_000, wide, stage)).toEqual({
      scale: 1,
      x: -1200,
      y: -400,
    });
    expect(panView(actual, 50, -20, wide, stage)).toEqual({ scale: 1, x: -550, y: -220 });
  });

  it('centres an axis along which the image is smaller than the stage', () => {
    expect(clampView({ scale: 1, x: -500, y: 999 }, { width: 2000, height: 300 }, stage)).toEqual({
      scale: 1,
      x: -500,
      y: 150,
    });
  });
});
