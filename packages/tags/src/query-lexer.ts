import type { TagCountOperator } from './query-node.js';
import { querySyntaxError } from './query-syntax-error.js';

/** One piece of a filter query, with the offset where it starts. */
export type QueryToken = { position: number } & (
  | { kind: '(' | ')' | 'AND' | 'OR' | 'NOT' | 'untagged' }
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'tagCount'; operator: TagCountOperator; value: number }
  | { kind: 'imageId'; id: string }
  | { kind: 'has'; what: 'proposals' }
);

const WHITESPACE = /\s/u;
const TAG_COUNT = /^tags(<=|>=|!=|<|>|=)(.*)$/is;
const IMAGE_ID_TERM = /^id:(.*)$/is;
const HAS_TERM = /^has:(.*)$/is;
/** The shape of an image id (`ImageIdSchema` of `@civtag/api-models`). */
const IMAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Splits a filter query into tokens.
 *
 * A word runs to the next space, quote or unbalanced `)`, so booru tags with parentheses
 * such as `hatsune_miku_(cosplay)` need no quotes, while `(solo OR 1girl)` still groups.
 * `AND`, `OR` and `NOT` are operators only in capitals; `untagged` and `tags<5` are
 * tag-count terms; `id:<image id>` names one image; `has:proposals` is an image with pending
 * auto-tagger proposals. A quoted tag is taken literally (`\"` and
 * `\\` escape inside quotes), so `"id:invaded"` is the tag.
 *
 * @throws CivtagError `VALIDATION` (see `querySyntaxError`) for an unclosed quote, a
 *   tag-count term without a whole number, or an `id:` term without a valid image id.
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
  if (what.toLowerCase() !== 'proposals') {
    throw querySyntaxError(
      query,
      position + 4,
      'expected "proposals" after "has:" (has:proposals: images with pending proposals); put a tag that starts with "has:" in quotes',
    );
  }
  return { kind: 'has', what: 'proposals', position };
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
