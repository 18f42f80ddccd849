import type { ImageRecord } from '@civtag/api-models';
import { Component } from 'preact';
import { httpApi } from '../api/http-api.js';
import { formatCount } from '../model/format-count.js';
import { tileFlags } from '../model/tile-flags.js';
import { tileTagLine } from '../model/tile-tag-line.js';

interface TileBox {
  top: number;
  left: number;
  width: number;
  height: number;
}

function boxStyle(box: TileBox) {
  return {
    transform: `translate(${box.left}px, ${box.top}px)`,
    width: `${box.width}px`,
    height: `${box.height}px`,
  };
}

interface ImageTileProps {
  index: number;
  record: ImageRecord;
  box: TileBox;
  selected: boolean;
  focused: boolean;
  /** Left out of the tile's tag line (every caption starts with it). */
  triggerWord?: string | undefined;
  onClick: (event: MouseEvent) => void;
  onOpen: () => void;
}

function ImageTileView({
  index,
  record,
  box,
  selected,
  focused,
  triggerWord,
  onClick,
  onOpen,
}: ImageTileProps) {
  const flags = tileFlags(record);
  const classes = ['tile'];
  if (selected) classes.push('selected');
  if (focused) classes.push('focused');
  if (record.excluded) classes.push('excluded');
  const count = record.tags.length;
  return (
    // The grid's listbox owns the keyboard through aria-activedescendant; options take clicks.
    // biome-ignore lint/a11y/useKeyWithClickEvents: arrows, Space and Enter are handled by the listbox.
    <div
      id={`tile-${index}`}
      tabIndex={-1}
      class={classes.join(' ')}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-label={`${record.file}, ${formatCount(count, 'tag')}${flags.map((flag) => `, ${flag.description}`).join('')}`}
      data-image-id={record.id}
      style={boxStyle(box)}
      onClick={onClick}
      onDblClick={onOpen}
    >
      <div class="tile-picture">
        <img
          key={record.id}
          src={httpApi.thumbUrl(record.id, record.hash)}
          alt=""
          decoding="async"
          draggable={false}
        />
        <div class="tile-flags">
          {flags.map((flag) => (
            <span key={flag.kind} class={`flag flag-${flag.kind}`} title={flag.description}>
              {flag.label}
            </span>
          ))}
        </div>
        {selected ? (
          <span class="tile-check" aria-hidden="true">
            ✓
          </span>
        ) : null}
      </div>
      <div class="tile-caption">
        <span class="tile-file" title={record.tags.join(', ')}>
          {record.file}
        </span>
        {/* Shown instead of the file name when the grid shows tags (a class above the grid). */}
        <span class="tile-tags" title={record.file} data-testid="tile-tags">
          {tileTagLine(record.tags, triggerWord)}
        </span>
        <span
          class={`tag-count${count === 0 ? ' zero' : ''}`}
          title={formatCount(count, 'tag')}
          data-testid="tag-count"
        >
          {count}
        </span>
      </div>
    </div>
  );
}

/** One image in the grid: thumbnail, flags, tag count; re-renders only when its props change. */
export class ImageTile extends Component<ImageTileProps> {
  override shouldComponentUpdate(next: ImageTileProps): boolean {
    const before = this.props;
    return !(
      before.record === next.record &&
      before.selected === next.selected &&
      before.focused === next.focused &&
      before.triggerWord === next.triggerWord &&
      before.index === next.index &&
      before.box.top === next.box.top &&
      before.box.left === next.box.left &&
      before.box.width === next.box.width
    );
  }

  override render() {
    return <ImageTileView {...this.props} />;
  }
}

/** A tile whose record is still being fetched. */
export function PlaceholderTile({ box }: { box: TileBox }) {
  return <div class="tile placeholder" aria-hidden="true" style={boxStyle(box)} />;
}
