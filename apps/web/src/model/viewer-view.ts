/** A width and a height in CSS pixels. */
export interface Size {
  width: number;
  height: number;
}

/**
 * How the image viewer draws an image in its stage: `scale` screen pixels per image pixel, the
 * image's top-left corner at (`x`, `y`) in the stage.
 */
export interface View {
  scale: number;
  x: number;
  y: number;
}

/** The most the viewer magnifies: one image pixel as 32 screen pixels. */
export const MAX_SCALE = 32;
/** How much one + or − press zooms. */
export const ZOOM_STEP = 1.25;

/** The scale that fits the whole image in the stage. */
export function fitScale(image: Size, stage: Size): number {
  if (image.width <= 0 || image.height <= 0) return 1;
  return Math.min(stage.width / image.width, stage.height / image.height);
}

/** The whole image, as large as the stage allows, centred. */
export function fitView(image: Size, stage: Size): View {
  return centred(fitScale(image, stage), image, stage);
}

/** Whether `view` shows the image fitted to the stage (within rounding). */
export function isFitted(view: View, image: Size, stage: Size): boolean {
  return Math.abs(view.scale - fitScale(image, stage)) < 1e-6;
}

/**
 * `view` zoomed by `factor` about `anchor` (a point of the stage, which keeps showing the same
 * image pixel), within the fitted scale (or 1:1 for an image smaller than the stage) and
 * {@link MAX_SCALE}.
 */
export function zoomView(
  view: View,
  factor: number,
  anchor: { x: number; y: number },
  image: Size,
  stage: Size,
): View {
  const scale = clampScale(view.scale * factor, image, stage);
  const ratio = scale / view.scale;
  return clampView(
    {
      scale,
      x: anchor.x - (anchor.x - view.x) * ratio,
      y: anchor.y - (anchor.y - view.y) * ratio,
    },
    image,
    stage,
  );
}

/** The image at one image pixel per screen pixel, keeping the pixel under `anchor` there. */
export function actualSizeView(
  view: View,
  anchor: { x: number; y: number },
  image: Size,
  stage: Size,
): View {
  return zoomView(view, 1 / view.scale, anchor, image, stage);
}

/** `view` moved by (`dx`, `dy`) screen pixels, never further than an edge of the image. */
export function panView(view: View, dx: number, dy: number, image: Size, stage: Size): View {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, image, stage);
}

/**
 * `view` kept on the image: along an axis where the image is smaller than the stage it is
 * centred, along one where it is larger no empty stage shows beside it.
 */
export function clampView(view: View, image: Size, stage: Size): View {
  const axis = (position: number, imageLength: number, stageLength: number) => {
    const shown = imageLength * view.scale;
    if (shown <= stageLength) return (stageLength - shown) / 2;
    return Math.min(0, Math.max(stageLength - shown, position));
  };
  return {
    scale: view.scale,
    x: axis(view.x, image.width, stage.width),
    y: axis(view.y, image.height, stage.height),
  };
}

function clampScale(scale: number, image: Size, stage: Size): number {
  const smallest = Math.min(fitScale(image, stage), 1);
  return Math.min(MAX_SCALE, Math.max(smallest, scale));
}

function centred(scale: number, image: Size, stage: Size): View {
  return {
    scale,
    x: (stage.width - image.width * scale) / 2,
    y: (stage.height - image.height * scale) / 2,
  };
}
