import type { ImageFormat } from '@civtag/api-models';
import type { HasWhat, TagCountOperator } from './query-node.js';
import { querySyntaxError } from './query-syntax-error.js';

/** One piece of a filter query, with the offset where it starts. */
export type QueryToken = { position: number } & (
  | { kind: '(' | ')' | 'AND' | 'OR' | 'NOT' | 'untagged' }
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'tagCount'; operator: TagCountOperator; value: number }
  | { kind: 'imageId'; id: string }
  | { kind: 'has'; what: HasWhat }
  | { kind: 'is'; what: 'excluded' }
  | { kind: 'size'; dimension: 'width' | 'height'; operator: TagCountOperator; value: number }
  | { kind: 'format'; format: ImageFormat }
  | { kind: 'text'; field: 'name' | 'source'; pattern: string }
);

const WHITESPACE = /\s/u;
const TAG_COUNT = /^tags(<=|>=|!=|<|>|=)(.*)$/is;
const IMAGE_ID_TERM = /^id:(.*)$/is;
const HAS_TERM = /^has:(.*)$/is;
const IS_TERM = /^is:(.*)$/is;
const SIZE_TERM = /^(width|height)(<=|>=|!=|<|>|=)(.*)$/is;
const FORMAT_TERM = /^format:(.*)$/is;
const TEXT_TERM = /^(name|source):(.*)$/is;
/** What `format:` takes, and the other names people give those formats. */
const FORMATS: Readonly<Record<string, ImageFormat>> = {
  png: 'png',
  jpeg: 'jpeg',
  jpg: 'jpeg',
  webp: 'webp',
  gif: 'gif',
  avif: 'avif',
  tiff: 'tiff',
  tif: 'tiff',
  bmp: 'bmp',
};
const HAS_WHAT: Readonly<Record<string, HasWhat>> = {
  proposals: 'proposals',
  'near-duplicates': 'near-duplicates',
};
/** The shape of an image id (`ImageIdSchema` of `@civtag/api-models`). */
const IMAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Splits a filter query into tokens.
 *
 * A word runs to the next space, quote or unbalanced `)`, so booru tags with parentheses
 * such as `hatsune_miku_(cosplay)` need no quotes, while `(solo OR 1girl)` still groups.
 * `AND`, `OR` and `NOT` are operators only in capitals; `untagged` and `tags<5` are
 * tag-count terms; `id:<image id>` names one image; `has:proposals` is an image with pending
 * auto-tagger proposals, `has:near-duplicates` one that looks like another; `is:excluded`,
 * `width<768`, `height>=1024`, `format:png`, `name:<text>` and `source:<text>` (the text may be
 * quoted: `name:"my file"`) read the image rather than its tags. A quoted tag is taken
 * literally (`\"` and `\\` escape inside quotes), so `"id:invaded"` is the tag.
 *
 * @throws CivtagError `VALIDATION` (see `querySyntaxError`) for an unclosed quote, a
 *   tag-count or size term without a whole number, an `id:` term without a valid image id, an
 *   unknown `has:`, `is:` or `format:`, or an empty `name:` or `source:`.
 */
export function tokenizeQuery(query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let index = 0;
  while (index < query.length) {
    const character = query[index] as string;
    if (WHITESPACE.test(character)) {
      index += 1;
    } else if (character === '(' || character === ')') {
      tokens.push({ kind: character, position: index });
      index += 1;
    } else if (character === '"') {
      index = readQuoted(query, index, tokens);
    } else {
      index = readWord(query, index, tokens);
    }
  }
  return tokens;
}

function readQuoted(query: string, start: number, tokens: QueryToken[]): number {
  let text = '';
  let index = start + 1;
  while (index < query.length) {
    const character = query[index] as string;
    if (character === '"') {
      tokens.push({ kind: 'quoted', text, position: start });
      return index + 1;
    }
    if (character === '\\' && (query[index + 1] === '"' || query[index + 1] === '\\')) {
      text += query[index + 1];
      index += 2;
    } else {
      text += character;
      index += 1;
    }
  }
  throw querySyntaxError(query, start, 'this quote is never closed; add a closing "');
}

function readWord(query: string, start: number, tokens: QueryToken[]): number {
  let index = start;
  let depth = 0;
  while (index < query.length) {
    const character = query[index] as string;
    if (WHITESPACE.test(character) || character === '"') break;
    if (character === '(') depth += 1;
    else if (character === ')') {
      if (depth === 0) break;
      depth -= 1;
    }
    index += 1;
  }
  const text = query.slice(start, index);
  // `name:"my file"`: the quoted text is the term's value, not a tag of its own.
  const field = /^(name|source):$/i.exec(text);
  if (field !== null && query[index] === '"') {
    const quoted: QueryToken[] = [];
    const end = readQuoted(query, index, quoted);
    const value = quoted[0] as { text: string };
    tokens.push(classifyText(query, field[1] as string, value.text, start));
    return end;
  }
  tokens.push(classifyWord(query, text, start));
  return index;
}

function classifyWord(query: string, text: string, position: number): QueryToken {
  if (text === 'AND' || text === 'OR' || text === 'NOT') return { kind: text, position };
  if (text.toLowerCase() === 'untagged') return { kind: 'untagged', position };
  const imageId = IMAGE_ID_TERM.exec(text);
  if (imageId !== null) return classifyImageId(query, imageId[1] as string, position);
  const has = HAS_TERM.exec(text);
  if (has !== null) return classifyHas(query, has[1] as string, position);
  const is = IS_TERM.exec(text);
  if (is !== null) return classifyIs(query, is[1] as string, position);
  const format = FORMAT_TERM.exec(text);
  if (format !== null) return classifyFormat(query, format[1] as string, position);
  const field = TEXT_TERM.exec(text);
  if (field !== null) return classifyText(query, field[1] as string, field[2] as string, position);
  const size = SIZE_TERM.exec(text);
  if (size !== null) return classifySize(query, size, position);
  const count = TAG_COUNT.exec(text);
  if (count === null) return { kind: 'word', text, position };
  const operator = count[1] as TagCountOperator;
  const digits = count[2] as string;
  if (!/^\d{1,9}$/.test(digits)) {
    throw querySyntaxError(
      query,
      position + 4 + operator.length,
      `expected a whole number after "tags${operator}", as in tags${operator}5`,
    );
  }
  return { kind: 'tagCount', operator, value: Number(digits), position };
}

function classifyHas(query: string, what: string, position: number): QueryToken {
  const known = HAS_WHAT[what.toLowerCase()];
  if (known === undefined) {
    throw querySyntaxError(
      query,
      position + 4,
      'expected "proposals" or "near-duplicates" after "has:" (has:proposals: images with pending proposals; has:near-duplicates: images that look like another); put a tag that starts with "has:" in quotes',
    );
  }
  return { kind: 'has', what: known, position };
}

function classifyIs(query: string, what: string, position: number): QueryToken {
  if (what.toLowerCase() !== 'excluded') {
    throw querySyntaxError(
      query,
      position + 3,
      'expected "excluded" after "is:" (is:excluded: images excluded from training); put a tag that starts with "is:" in quotes',
    );
  }
  return { kind: 'is', what: 'excluded', position };
}

function classifyFormat(query: string, name: string, position: number): QueryToken {
  const format = FORMATS[name.toLowerCase()];
  if (format === undefined) {
    throw querySyntaxError(
      query,
      position + 7,
      `expected an image format after "format:": ${Object.keys(FORMATS).join(', ')}; put a tag that starts with "format:" in quotes`,
    );
  }
  return { kind: 'format', format, position };
}

function classifyText(query: string, name: string, pattern: string, position: number): QueryToken {
  const field = name.toLowerCase() === 'name' ? 'name' : 'source';
  if (pattern.trim() === '') {
    throw querySyntaxError(
      query,
      position + field.length + 1,
      `expected the text to look for after "${field}:", as in ${field}:sakura (quote it when it holds spaces: ${field}:"my file")`,
    );
  }
  return { kind: 'text', field, pattern, position };
}

function classifySize(query: string, match: RegExpExecArray, position: number): QueryToken {
  const dimension = (match[1] as string).toLowerCase() === 'width' ? 'width' : 'height';
  const operator = match[2] as TagCountOperator;
  const digits = match[3] as string;
  if (!/^\d{1,9}$/.test(digits)) {
    throw querySyntaxError(
      query,
      position + dimension.length + operator.length,
      `expected a whole number of pixels after "${dimension}${operator}", as in ${dimension}${operator}768`,
    );
  }
  return { kind: 'size', dimension, operator, value: Number(digits), position };
}

function classifyImageId(query: string, id: string, position: number): QueryToken {
  if (!IMAGE_ID.test(id)) {
    throw querySyntaxError(
      query,
      position + 3,
      'expected an image id after "id:" (1–64 letters, digits, "_" or "-"); put a tag that starts with "id:" in quotes',
    );
  }
  return { kind: 'imageId', id, position };
}
