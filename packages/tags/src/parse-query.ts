import { Limits } from '@civtag/api-models';
import { type QueryToken, tokenizeQuery } from './query-lexer.js';
import type { QueryNode } from './query-node.js';
import { querySyntaxError } from './query-syntax-error.js';

/** Deeper nesting than this is surely a mistake, and would exhaust the stack. */
const MAX_DEPTH = 64;

/**
 * Parses a filter query.
 *
 * ```
 * query   := or
 * or      := and ("OR" and)*
 * and     := not (["AND"] not)*          two terms side by side mean AND
 * not     := "NOT" not | primary
 * primary := "(" or ")" | tag | "quoted tag" | pattern* | tags<5 | untagged | id:<image id>
 *          | has:proposals | has:near-duplicates | is:excluded | width<768 | height>=1024
 *          | format:png | name:<text> | source:<text>
 * ```
 * `NOT` binds tightest, then `AND`, then `OR`: `a OR b c` is `a OR (b AND c)`.
 * An empty query (only spaces) matches every image.
 *
 * @throws CivtagError `VALIDATION` with `details.position` (0-based offset) and a message
 *   that shows the query with a caret at the problem; also for a query longer than
 *   {@link Limits.queryLength} characters or nested more than 64 levels deep.
 * @example parseQuery('1girl NOT (solo OR "long hair") tags<10')
 */
export function parseQuery(text: string): QueryNode {
  if (text.length > Limits.queryLength) {
    throw querySyntaxError(
      text,
      Limits.queryLength,
      `a filter query can be at most ${Limits.queryLength} characters long`,
    );
  }
  const parser = new QueryParser(text, tokenizeQuery(text));
  return parser.parseQuery();
}

class QueryParser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly QueryToken[],
  ) {}

  parseQuery(): QueryNode {
    if (this.tokens.length === 0) return { type: 'all' };
    const node = this.parseOr();
    const extra = this.peek();
    if (extra !== undefined) throw this.error(extra.position, `unexpected ${describe(extra)}`);
    return node;
  }

  private parseOr(): QueryNode {
    const operands = [this.parseAnd()];
    while (this.peek()?.kind === 'OR') {
      this.index += 1;
      operands.push(this.parseAnd('OR'));
    }
    return operands.length === 1 ? (operands[0] as QueryNode) : { type: 'or', operands };
  }

  private parseAnd(after?: string): QueryNode {
    const operands = [this.parseNot(after)];
    for (;;) {
      const next = this.peek();
      if (next === undefined || next.kind === 'OR' || next.kind === ')') break;
      if (next.kind === 'AND') {
        this.index += 1;
        operands.push(this.parseNot('AND'));
      } else {
        operands.push(this.parseNot());
      }
    }
    return operands.length === 1 ? (operands[0] as QueryNode) : { type: 'and', operands };
  }

  private parseNot(after?: string): QueryNode {
    const token = this.peek();
    if (token?.kind !== 'NOT') return this.parsePrimary(after);
    this.index += 1;
    return { type: 'not', operand: this.nested(() => this.parseNot('NOT')) };
  }

  private parsePrimary(after?: string): QueryNode {
    const token = this.peek();
    if (token === undefined) {
      throw this.error(
        this.text.length,
        after === undefined ? 'expected a tag' : `expected a tag after "${after}"`,
      );
    }
    switch (token.kind) {
      case 'word':
        this.index += 1;
        return token.text.includes('*')
          ? { type: 'wildcard', pattern: token.text }
          : { type: 'tag', tag: token.text };
      case 'quoted':
        this.index += 1;
        if (token.text.trim() === '')
          throw this.error(token.position, 'a quoted tag cannot be empty');
        return { type: 'tag', tag: token.text };
      case 'untagged':
        this.index += 1;
        return { type: 'tagCount', operator: '=', value: 0 };
      case 'tagCount':
        this.index += 1;
        return { type: 'tagCount', operator: token.operator, value: token.value };
      case 'imageId':
        this.index += 1;
        return { type: 'imageId', id: token.id };
      case 'has':
        this.index += 1;
        return { type: 'has', what: token.what };
      case 'is':
        this.index += 1;
        return { type: 'is', what: token.what };
      case 'size':
        this.index += 1;
        return {
          type: 'size',
          dimension: token.dimension,
          operator: token.operator,
          value: token.value,
        };
      case 'format':
        this.index += 1;
        return { type: 'format', format: token.format };
      case 'text':
        this.index += 1;
        return { type: 'text', field: token.field, pattern: token.pattern };
      case '(':
        return this.parseGroup(token.position);
      default: {
        const where = after === undefined ? '' : ` after "${after}"`;
        throw this.error(token.position, `expected a tag${where} but found ${describe(token)}`);
      }
    }
  }

  private parseGroup(open: number): QueryNode {
    this.index += 1;
    if (this.peek()?.kind === ')')
      throw this.error(open, 'empty parentheses; put a tag between ( and )');
    const node = this.nested(() => this.parseOr());
    if (this.peek()?.kind !== ')') {
      const at = this.peek()?.position ?? this.text.length;
      throw this.error(at, `expected ")" to close the "(" at column ${open + 1}`);
    }
    this.index += 1;
    return node;
  }

  private nested(parse: () => QueryNode): QueryNode {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw this.error(
        this.peek()?.position ?? this.text.length,
        `nested more than ${MAX_DEPTH} levels deep`,
      );
    }
    const node = parse();
    this.depth -= 1;
    return node;
  }

  private peek(): QueryToken | undefined {
    return this.tokens[this.index];
  }

  private error(position: number, problem: string) {
    return querySyntaxError(this.text, position, problem);
  }
}

function describe(token: QueryToken): string {
  if (token.kind === 'word' || token.kind === 'quoted') return `"${token.text}"`;
  if (token.kind === 'tagCount') return `"tags${token.operator}${token.value}"`;
  if (token.kind === 'imageId') return `"id:${token.id}"`;
  if (token.kind === 'has') return `"has:${token.what}"`;
  if (token.kind === 'is') return `"is:${token.what}"`;
  if (token.kind === 'size') return `"${token.dimension}${token.operator}${token.value}"`;
  if (token.kind === 'format') return `"format:${token.format}"`;
  if (token.kind === 'text') return `"${token.field}:${token.pattern}"`;
  return `"${token.kind}"`;
}
