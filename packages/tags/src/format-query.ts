import type { QueryNode } from './query-node.js';

const KEYWORD = /^(?:AND|OR|NOT)$/;
const SPECIAL_WORD =
  /^(?:untagged|(?:tags|width|height)(?:<=|>=|!=|<|>|=).*|(?:id|has|is|format|name|source):.*)$/is;
const BARE_TAG = /^[^\s"()*]+$/u;

/**
 * Writes a query back as text that {@link parseQuery} reads as the same query:
 * `parseQuery(formatQuery(node))` deep-equals `node`. Tags that could be mistaken for syntax
 * (spaces, quotes, parentheses, `*`, `AND`, `untagged`, `tags<5`, `id:x`, `has:x`, `is:x`,
 * `width<5`, `format:x`, `name:x`, `source:x`…) are quoted.
 *
 * Useful to build a filter from clicks, e.g. `formatQuery({ type: 'tag', tag: 'long hair' })`
 * gives `"long hair"`.
 */
export function formatQuery(node: QueryNode): string {
  switch (node.type) {
    case 'all':
      return '';
    case 'tag':
      return formatTagTerm(node.tag);
    case 'wildcard':
      return node.pattern;
    case 'tagCount':
      return `tags${node.operator}${node.value}`;
    case 'imageId':
      return `id:${node.id}`;
    case 'has':
      return `has:${node.what}`;
    case 'is':
      return `is:${node.what}`;
    case 'size':
      return `${node.dimension}${node.operator}${node.value}`;
    case 'format':
      return `format:${node.format}`;
    case 'text':
      return `${node.field}:${formatTextValue(node.pattern)}`;
    case 'not':
      return `NOT ${formatOperand(node.operand, 'not')}`;
    case 'and':
      return node.operands.map((operand) => formatOperand(operand, 'and')).join(' AND ');
    case 'or':
      return node.operands.map((operand) => formatOperand(operand, 'or')).join(' OR ');
  }
}

/** Writes a tag as a query term, quoting it when it would otherwise read as syntax. */
export function formatTagTerm(tag: string): string {
  if (BARE_TAG.test(tag) && !KEYWORD.test(tag) && !SPECIAL_WORD.test(tag)) return tag;
  return `"${tag.replace(/["\\]/g, '\\$&')}"`;
}

/** The value of a `name:` or `source:` term, quoted when it would not read back as one word. */
function formatTextValue(pattern: string): string {
  if (/^[^\s"()]+$/u.test(pattern)) return pattern;
  return `"${pattern.replace(/["\\]/g, '\\$&')}"`;
}

function formatOperand(node: QueryNode, parent: 'not' | 'and' | 'or'): string {
  const text = formatQuery(node);
  // Parentheses keep the shape: `and` inside `and` stays nested, `or` inside `and` keeps its
  // weaker binding, and `NOT` applies to the whole group.
  const grouped =
    node.type === 'or' || (node.type === 'and' && parent !== 'or') || node.type === 'all';
  return grouped ? `(${text})` : text;
}
