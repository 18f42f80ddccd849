import { endianness } from 'node:os';
import type { ImageSource } from '@civtag/api-models';
import type { StateCodec } from '@civtag/session';
import { ImageIndex } from './image-index.js';
import type { DatasetState, ImageState } from './state-schema.js';

/**
 * How a dataset's images are stored in its snapshot (state version 3): one column per field
 * instead of one object per image, and each image's tags as indices into a table holding every
 * distinct tag once, packed as binary integers. At 100,000 images with 25 tags each the
 * snapshot is half the size of the plain form, reads in about half the time, and the state it
 * gives back holds one string per distinct tag instead of one per tag of every image (see
 * docs/architecture.md).
 */
export interface StoredImageTable {
  /** How many images. */
  count: number;
  /** The fields of the records in their order, `tags` included. */
  fields: string[];
  /** One array of `count` values per field but `tags`; `null` where a record lacks the field. */
  columns: Record<string, unknown[]>;
  /** Every distinct tag once. */
  tagTable: string[];
  /** How many tags each image has: {@link PackedIntegers}. */
  tagCounts: PackedIntegers;
  /** Every image's tags in turn, as indices into `tagTable`: {@link PackedIntegers}. */
  tags: PackedIntegers;
}

/**
 * Whole numbers from 0 to 2^32 - 1 as the base64 of their bytes, `width` bytes each in the
 * byte order `order`: a JSON parser reads one string instead of millions of numbers.
 */
export interface PackedIntegers {
  width: 1 | 2 | 4;
  order: 'LE' | 'BE';
  base64: string;
}

const ORDER = endianness();

/** `values` packed in the narrowest width that holds them all. */
function pack(values: readonly number[]): PackedIntegers {
  let highest = 0;
  for (const value of values) if (value > highest) highest = value;
  const width = highest < 2 ** 8 ? 1 : highest < 2 ** 16 ? 2 : 4;
  const array =
    width === 1
      ? Uint8Array.from(values)
      : width === 2
        ? Uint16Array.from(values)
        : Uint32Array.from(values);
  const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return { width, order: ORDER, base64: bytes.toString('base64') };
}

/** The numbers of {@link pack}, in this machine's byte order. */
function unpack(packed: PackedIntegers, name: string): Uint8Array | Uint16Array | Uint32Array {
  const { width, order, base64 } = packed ?? {};
  if ((width !== 1 && width !== 2 && width !== 4) || typeof base64 !== 'string') {
    throw new Error(`imageTable.${name} is not a packed list of whole numbers`);
  }
  let bytes = Buffer.from(base64, 'base64');
  if (bytes.length % width !== 0) {
    throw new Error(
      `imageTable.${name} holds ${bytes.length} bytes, not a whole number of ${width}`,
    );
  }
  // A small buffer may share an unaligned pool slab: give it one of its own.
  if (bytes.byteOffset % width !== 0) bytes = Buffer.from(Uint8Array.prototype.slice.call(bytes));
  if (order !== ORDER && width === 2) bytes.swap16();
  if (order !== ORDER && width === 4) bytes.swap32();
  const length = bytes.length / width;
  if (width === 1) return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
  if (width === 2) return new Uint16Array(bytes.buffer, bytes.byteOffset, length);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, length);
}

/** The state as the snapshot stores it: `images` replaced by `imageTable`. */
export type StoredDatasetState = Omit<DatasetState, 'images'> & { imageTable: StoredImageTable };

/** The stored form of `state` (see {@link StoredImageTable}). Linear in the number of tags. */
export function encodeState(state: DatasetState): StoredDatasetState {
  const { images, ...rest } = state;
  const records = Object.values(images);
  const count = records.length;
  const fields: string[] = [];
  const columns: Record<string, unknown[]> = {};
  const tagTable: string[] = [];
  const tagIndex = new Map<string, number>();
  const tagCounts = new Array<number>(count);
  const tags: number[] = [];
  for (let position = 0; position < count; position += 1) {
    const record = records[position] as ImageState & Record<string, unknown>;
    for (const field in record) {
      if (field === 'tags') {
        if (!fields.includes(field)) fields.push(field);
        continue;
      }
      let column = columns[field];
      if (column === undefined) {
        fields.push(field);
        column = new Array<unknown>(count).fill(null);
        columns[field] = column;
      }
      column[position] = record[field] ?? null;
    }
    tagCounts[position] = record.tags.length;
    for (const tag of record.tags) {
      let index = tagIndex.get(tag);
      if (index === undefined) {
        index = tagTable.length;
        tagTable.push(tag);
        tagIndex.set(tag, index);
      }
      tags.push(index);
    }
  }
  const imageTable = {
    count,
    fields,
    columns,
    tagTable,
    tagCounts: pack(tagCounts),
    tags: pack(tags),
  };
  return { ...rest, imageTable };
}

/**
 * The state of a stored form: images rebuilt from their columns, in their order, each tag
 * string shared by every image that has it. A state in the plain form (versions 1 and 2) is
 * returned as it is.
 *
 * @throws {Error} naming what does not add up, when the table is malformed.
 */
export function decodeState(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || !('imageTable' in stored)) return stored;
  const { imageTable, ...rest } = stored as StoredDatasetState;
  const { count, fields, columns, tagTable } = checkTable(imageTable);
  const tagCounts = unpack(imageTable.tagCounts, 'tagCounts');
  const tags = unpack(imageTable.tags, 'tags');
  checkTagCounts(count, tagCounts, tags.length);
  const fieldColumns = fields.map((field) => (field === 'tags' ? undefined : columns[field]));
  const literal = literalColumns(fields, columns);
  const images: Record<string, ImageState> = {};
  const order = new Array<ImageState>(count);
  let unique = true;
  let next = 0;
  for (let position = 0; position < count; position += 1) {
    const tagCount = tagCounts[position] as number;
    const list = new Array<string>(tagCount);
    for (let tag = 0; tag < tagCount; tag += 1) {
      const name = tagTable[tags[next] as number];
      if (name === undefined) {
        throw new Error(`image ${position + 1} has tag index ${tags[next]}, past the tag table`);
      }
      list[tag] = name;
      next += 1;
    }
    let record: ImageState;
    const usual = literal === undefined ? undefined : usualShape(literal, position);
    if (usual === 'imported') {
      // The usual image of a civtag that keeps sources and hashes: one literal, one shape.
      const c = literal as LiteralColumns;
      record = {
        id: c.id[position] as string,
        file: c.file[position] as string,
        hash: c.hash[position] as string,
        size: c.size[position] as number,
        width: c.width[position] as number,
        height: c.height[position] as number,
        format: c.format[position] as ImageState['format'],
        tags: list,
        // In the order an import's record gets them, so a round trip keeps the order.
        source: c.source?.[position] as ImageSource,
        phash: c.phash?.[position] as string,
        rev: c.rev[position] as number,
        excluded: c.excluded[position] as boolean,
        written: c.written[position] as string,
        seen: c.seen[position] as string,
      };
    } else if (usual === 'plain') {
      // The usual image, built as one literal: every image gets the same shape at once.
      const c = literal as LiteralColumns;
      record = {
        id: c.id[position] as string,
        file: c.file[position] as string,
        hash: c.hash[position] as string,
        size: c.size[position] as number,
        width: c.width[position] as number,
        height: c.height[position] as number,
        format: c.format[position] as ImageState['format'],
        tags: list,
        rev: c.rev[position] as number,
        excluded: c.excluded[position] as boolean,
        written: c.written[position] as string,
        seen: c.seen[position] as string,
      };
    } else {
      const fieldsOf: Record<string, unknown> = {};
      for (let field = 0; field < fields.length; field += 1) {
        const column = fieldColumns[field];
        if (column === undefined) {
          fieldsOf.tags = list;
          continue;
        }
        const value = column[position];
        if (value !== null) fieldsOf[fields[field] as string] = value;
      }
      record = fieldsOf as unknown as ImageState;
    }
    if (record.id === '__proto__') throw new Error(`image ${position + 1} has the id __proto__`);
    if (Object.hasOwn(images, record.id) || isIndexLike(record.id)) unique = false;
    images[record.id] = record;
    order[position] = record;
  }
  const state = { ...rest, images };
  // Two records with one id would leave the order longer than the images, and ids like "12"
  // are listed first by Object.values: no index from this order then.
  if (unique) ImageIndex.seed(state as DatasetState, order);
  return state;
}

/** True for a key that objects list before the others (an array index). */
function isIndexLike(id: string): boolean {
  const first = id.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(?:0|[1-9]\d{0,9})$/.test(id) && Number(id) < 2 ** 32 - 1;
}

/** The fields of the usual image, in the order the state holds them. */
const LITERAL_FIELDS = [
  'id',
  'file',
  'hash',
  'size',
  'width',
  'height',
  'format',
  'tags',
  'rev',
  'excluded',
  'written',
  'seen',
] as const;

/** Fields the usual image of a recent import holds as well (older images lack both). */
const IMPORTED_FIELDS = ['source', 'phash'] as const;

type LiteralColumns = Record<Exclude<(typeof LITERAL_FIELDS)[number], 'tags'>, unknown[]> &
  Partial<Record<(typeof IMPORTED_FIELDS)[number], unknown[]>> & {
    /** The columns of other fields: a record holding none of them is a usual image. */
    others: unknown[][];
  };

/**
 * The columns of the usual image's fields, when the table has them all; else `undefined`.
 * A record that holds any other field (`extraLines`, or a field only some images have) is
 * built field by field instead.
 */
function literalColumns(
  fields: readonly string[],
  columns: Record<string, unknown[]>,
): LiteralColumns | undefined {
  if (!LITERAL_FIELDS.every((field) => fields.includes(field))) return undefined;
  const literal: readonly string[] = [...LITERAL_FIELDS, ...IMPORTED_FIELDS];
  const others = fields
    .filter((field) => !literal.includes(field))
    .map((field) => columns[field] as unknown[]);
  return { ...columns, others } as LiteralColumns;
}

/**
 * `'plain'` when the record at `position` holds the usual image's fields and no other,
 * `'imported'` when it holds its source and perceptual hash too, else `undefined`.
 */
function usualShape(literal: LiteralColumns, position: number): 'plain' | 'imported' | undefined {
  if (literal.seen[position] === null) return undefined;
  for (const column of literal.others) if (column[position] !== null) return undefined;
  const source = literal.source?.[position] ?? null;
  const phash = literal.phash?.[position] ?? null;
  if (source === null && phash === null) return 'plain';
  return source !== null && phash !== null ? 'imported' : undefined;
}

/** `table` when its fields and columns agree with each other; else an error saying where not. */
function checkTable(table: StoredImageTable): StoredImageTable {
  const { count, fields, columns, tagTable } = table ?? {};
  if (!Number.isSafeInteger(count) || count < 0) throw new Error('imageTable.count is not a count');
  for (const [name, array] of Object.entries({ fields, tagTable })) {
    if (!Array.isArray(array)) throw new Error(`imageTable.${name} is not an array`);
  }
  if (count > 0 && (!fields.includes('id') || !fields.includes('tags'))) {
    throw new Error('imageTable.fields lacks id or tags');
  }
  for (const field of fields) {
    if (field === 'tags') continue;
    const column = columns?.[field];
    if (!Array.isArray(column) || column.length !== count) {
      throw new Error(`imageTable.columns.${field} does not hold ${count} values`);
    }
  }
  return table;
}

function checkTagCounts(count: number, tagCounts: ArrayLike<number>, indices: number): void {
  if (tagCounts.length !== count) {
    throw new Error(`imageTable.tagCounts does not hold ${count} values`);
  }
  let total = 0;
  for (let position = 0; position < count; position += 1) total += tagCounts[position] as number;
  if (total !== indices) {
    throw new Error(`imageTable.tags holds ${indices} indices where the counts say ${total}`);
  }
}

/** The codec of a dataset's session. */
export const DATASET_STATE_CODEC: StateCodec<DatasetState> = {
  encode: encodeState,
  decode: decodeState,
};
