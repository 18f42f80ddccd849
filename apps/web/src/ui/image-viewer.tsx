import type { ImageRecord } from '@civtag/api-models';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { httpApi } from '../api/http-api.js';
import {
  actualSizeView,
  fitView,
  isFitted,
  panView,
  type Size,
  type View,
  ZOOM_STEP,
  zoomView,
} from '../model/viewer-view.js';
import type { AppStore } from '../state/app-store.js';
import { runCommand } from '../state/grid-actions.js';

/** Wheel pixels per doubling of the zoom. */
const WHEEL_PIXELS_PER_DOUBLING = 500;
/** Screen pixels an arrow key pans with Shift held. */
const PAN_STEP = 80;

/**
 * The editor's image large, over the grid, beside the editor (whose tags stay editable): fitted
 * to the stage, zoomed by wheel, +/− and 1:1, panned by dragging, the next and previous image
 * by ←/→ (and j/k), full screen with F. Esc (or ✕) goes back to the grid.
 */
export function ImageViewer({ store, record }: { store: AppStore; record: ImageRecord }) {
  const root = useRef<HTMLDivElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const [stage, setStage] = useState<Size | null>(null);
  // The upright size the browser decoded (EXIF orientation applied); the record's until then.
  const [natural, setNatural] = useState<{ id: string; size: Size } | null>(null);
  const [view, setView] = useState<View | null>(null);
  const [full, setFull] = useState(false);
  const drag = useRef<{ pointer: number; x: number; y: number } | null>(null);
  const image: Size =
    natural?.id === record.id ? natural.size : { width: record.width, height: record.height };

  useEffect(() => {
    root.current?.focus({ preventScroll: true });
  }, []);

  useLayoutEffect(() => {
    const element = stageRef.current;
    if (element === null) return;
    const measure = () => setStage({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Each image, and each new stage size, starts fitted.
  useLayoutEffect(() => {
    if (stage !== null) setView(fitView(image, stage));
  }, [record.id, image.width, image.height, stage?.width, stage?.height]);

  useEffect(() => {
    const left = () => {
      if (document.fullscreenElement === null) setFull(false);
    };
    document.addEventListener('fullscreenchange', left);
    return () => document.removeEventListener('fullscreenchange', left);
  }, []);

  const close = () => {
    if (document.fullscreenElement !== null) void document.exitFullscreen();
    store.update({ viewer: false });
    store.requestFocus('grid');
  };
  const toggleFull = () => {
    const element = root.current;
    if (element === null) return;
    if (full) {
      if (document.fullscreenElement !== null) void document.exitFullscreen();
      setFull(false);
      return;
    }
    setFull(true);
    // The whole screen where the browser allows it; the whole window in any case.
    element.requestFullscreen?.().catch(() => undefined);
  };
  const centre = () => ({ x: (stage?.width ?? 0) / 2, y: (stage?.height ?? 0) / 2 });
  const update = (change: (view: View, stage: Size) => View) => {
    if (view !== null && stage !== null) setView(change(view, stage));
  };
  const zoomBy = (factor: number, anchor = centre()) =>
    update((current, box) => zoomView(current, factor, anchor, image, box));
  const fitToStage = () => update((_current, box) => fitView(image, box));
  const actualSize = (anchor = centre()) =>
    update((current, box) => actualSizeView(current, anchor, image, box));
  const pan = (dx: number, dy: number) =>
    update((current, box) => panView(current, dx, dy, image, box));
  const step = (command: 'next' | 'previous') => {
    runCommand(store, command);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const handled = (() => {
      switch (event.key) {
        case 'ArrowRight':
        case 'j':
          if (event.shiftKey) pan(-PAN_STEP, 0);
          else step('next');
          return true;
        case 'ArrowLeft':
        case 'k':
          if (event.shiftKey) pan(PAN_STEP, 0);
          else step('previous');
          return true;
        case 'ArrowUp':
          pan(0, PAN_STEP);
          return true;
        case 'ArrowDown':
          pan(0, -PAN_STEP);
          return true;
        case '+':
        case '=':
          zoomBy(ZOOM_STEP);
          return true;
        case '-':
          zoomBy(1 / ZOOM_STEP);
          return true;
        case '0':
          fitToStage();
          return true;
        case '1':
          actualSize();
          return true;
        case 'f':
          toggleFull();
          return true;
        case 'Escape':
          if (full) toggleFull();
          else close();
          return true;
        default:
          return false;
      }
    })();
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  const pointIn = (event: MouseEvent) => {
    const bounds = stageRef.current?.getBoundingClientRect();
    return { x: event.clientX - (bounds?.left ?? 0), y: event.clientY - (bounds?.top ?? 0) };
  };
  const onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const pixels = event.deltaMode === 1 ? event.deltaY * 40 : event.deltaY;
    zoomBy(2 ** (-pixels / WHEEL_PIXELS_PER_DOUBLING), pointIn(event));
  };
  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    drag.current = { pointer: event.pointerId, x: event.clientX, y: event.clientY };
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    const from = drag.current;
    if (from === null || from.pointer !== event.pointerId) return;
    drag.current = { ...from, x: event.clientX, y: event.clientY };
    pan(event.clientX - from.x, event.clientY - from.y);
  };
  const onPointerUp = (event: PointerEvent) => {
    if (drag.current?.pointer === event.pointerId) drag.current = null;
  };
  const onDoubleClick = (event: MouseEvent) => {
    if (view !== null && stage !== null && isFitted(view, image, stage)) actualSize(pointIn(event));
    else fitToStage();
  };

  const percent = view === null ? '' : `${Math.round(view.scale * 100)}%`;
  return (
    <div
      ref={root}
      class={full ? 'viewer viewer-full' : 'viewer'}
      role="dialog"
      aria-label={`Viewing ${record.file}`}
      data-testid="viewer"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div class="viewer-bar">
        <span class="viewer-title" title={record.file}>
          {record.file}
        </span>
        <span class="viewer-size">
          {image.width}×{image.height}
        </span>
        <div class="viewer-actions">
          <ViewerButton label="Previous image (←)" text="‹" onClick={() => step('previous')} />
          <ViewerButton label="Next image (→)" text="›" onClick={() => step('next')} />
          <ViewerButton label="Zoom out (−)" text="−" onClick={() => zoomBy(1 / ZOOM_STEP)} />
          <span class="viewer-zoom" data-testid="viewer-zoom" aria-live="polite">
            {percent}
          </span>
          <ViewerButton label="Zoom in (+)" text="+" onClick={() => zoomBy(ZOOM_STEP)} />
          <ViewerButton label="Fit to the panel (0)" text="Fit" onClick={fitToStage} />
          <ViewerButton label="Actual size (1)" text="1:1" onClick={() => actualSize()} />
          <ViewerButton
            label={full ? 'Leave full screen (F)' : 'Full screen (F)'}
            text={full ? 'Exit full' : 'Full'}
            onClick={toggleFull}
          />
          <ViewerButton label="Close the viewer (Esc)" text="✕" onClick={close} />
        </div>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dragging pans; the keys above do the same. */}
      <div
        ref={stageRef}
        class="viewer-stage"
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDblClick={onDoubleClick}
      >
        {view === null ? null : (
          <img
            class={view.scale >= 2 ? 'viewer-image pixelated' : 'viewer-image'}
            src={httpApi.fileUrl(record.id, record.hash)}
            alt={record.file}
            draggable={false}
            data-scale={view.scale.toFixed(4)}
            data-x={view.x.toFixed(1)}
            data-y={view.y.toFixed(1)}
            style={{
              width: `${image.width}px`,
              height: `${image.height}px`,
              transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
            }}
            onLoad={(event) => {
              const { naturalWidth: width, naturalHeight: height } = event.currentTarget;
              if (width > 0 && (width !== image.width || height !== image.height)) {
                setNatural({ id: record.id, size: { width, height } });
              }
            }}
          />
        )}
      </div>
    </div>
  );
}

function ViewerButton({
  label,
  text,
  onClick,
}: {
  label: string;
  text: string;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      class="button ghost small"
      aria-label={label}
      title={label}
      onClick={onClick}
    >
      {text}
    </button>
  );
}
