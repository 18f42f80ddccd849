import type { TagOp } from '@civtag/api-models';

const TAGS_NAMED = 3;

function images(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'image' : 'images'}`;
}

function quoted(tags: readonly string[]): string {
  const named = tags.slice(0, TAGS_NAMED).map((tag) => `'${tag}'`);
  const more = tags.length - named.length;
  if (more > 0) return `${named.join(', ')} and ${more} more`;
  if (named.length <= 1) return named.join('');
  return `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

const SETTING_NAMES = {
  triggerWord: 'the trigger word',
  prefix: 'the name prefix',
  tagStyle: 'the tag style',
  kohyaRepeats: 'the kohya repeats',
} as const;

/**
 * What an op did, in words, for the undo history: the toast of an undo or redo says it
 * ("removed 'blue eyes' from 37 images"). `count` is how many images it changed.
 *
 * @example describeOp({ type: 'remove', target: { all: true }, tags: ['blue eyes'] }, 'op', 37)
 */
export function describeOp(op: TagOp, origin: 'op' | 'external' | 'import', count: number): string {
  if (origin === 'external') return `an edit made outside civtag to ${images(count)}`;
  switch (op.type) {
    case 'add':
      return `added ${quoted(op.tags)} to ${images(count)}`;
    case 'remove':
      return `removed ${quoted(op.tags)} from ${images(count)}`;
    case 'replace':
      return `renamed '${op.from}' to '${op.to}' on ${images(count)}`;
    case 'rename-tags': {
      const [only] = op.renames;
      if (op.renames.length === 1 && only !== undefined) {
        return only.to === ''
          ? `removed '${only.from}' from ${images(count)}`
          : `renamed '${only.from}' to '${only.to}' on ${images(count)}`;
      }
      return `renamed ${op.renames.length.toLocaleString('en-US')} tags on ${images(count)}`;
    }
    case 'set':
      return `set the tags of ${images(count)}`;
    case 'move':
      return `moved '${op.tag}' to place ${op.index + 1}`;
    case 'exclude':
      return `excluded ${images(count)}`;
    case 'restore':
      return `restored ${images(count)} to the dataset`;
    case 'settings': {
      const names = Object.keys(op.changes).map(
        (key) => SETTING_NAMES[key as keyof typeof SETTING_NAMES],
      );
      return `changed ${names.length === 0 ? 'the settings' : names.join(' and ')}`;
    }
    case 'normalize':
      return `normalized the tags of ${images(count)}`;
    case 'accept-proposals':
      return `accepted ${op.tags === undefined ? 'proposals' : quoted(op.tags)} on ${images(count)}`;
    case 'reject-proposals':
      return `rejected ${op.tags === undefined ? 'proposals' : quoted(op.tags)} on ${images(count)}`;
    case 'restore-proposals':
      return `took back rejections on ${images(count)}`;
  }
}
