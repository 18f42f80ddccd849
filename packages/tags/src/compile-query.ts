import { CivtagError, ErrorCode } from '@civtag/api-models';
import { foldTag } from './fold-tag.js';
import { parseQuery } from './parse-query.js';
import { pendingProposals } from './pending-proposals.js';
import type { QueryNode, TagCountOperator } from './query-node.js';
import type { TaggableImage } from './taggable-image.js';

/** Tells whether an image matches a filter query. */
export type ImagePredicate = (image: TaggableImage) => boolean;

/**
 * What a query may ask that an image alone cannot answer, given by whoever holds the dataset.
 */
export interface QueryContext {
  /** True when the image looks like another image of the dataset (`has:near-duplicates`). */
  hasNearDuplicates?: (image: TaggableImage) => boolean;
}

/**
 * Parses a filter query (see {@link parseQuery}) and turns it into a fast test.
 *
 * Tags are compared folded: case, and underscore versus space, do not matter
 * (`Long_Hair` finds `long hair`). The test remembers its answer per distinct tag, so
 * running it over 100,000 images costs little more than reading their tags.
 * Only `is:excluded` looks at `excluded`; callers pick which images to test. `name:` and
 * `source:` ignore case; an image without the field a term reads (a source, a size) does not
 * match it.
 *
 * @throws CivtagError `VALIDATION` for a syntax error, as {@link parseQuery}; for
 *   `has:near-duplicates` when `context` cannot tell near-duplicates.
 * @example
 * const matches = compileQuery('1girl NOT solo');
 * matches({ id: 'a', tags: ['1girl', 'smile'], excluded: false }) // true
 */
export function compileQuery(text: string, context: QueryContext = {}): ImagePredicate {
  return compileNode(parseQuery(text), context);
}

/**
 * Turns an already parsed query into a test.
 * @throws CivtagError `VALIDATION` for `has:near-duplicates` when `context` cannot tell them.
 */
export function compileNode(node: QueryNode, context: QueryContext = {}): ImagePredicate {
  const compile = (operand: QueryNode) => compileNode(operand, context);
  switch (node.type) {
    case 'all':
      return () => true;
    case 'tag': {
      const wanted = foldTag(node.tag);
      return anyTag((tag) => foldTag(tag) === wanted);
    }
    case 'wildcard': {
      const pattern = wildcardPattern(foldTag(node.pattern));
      return anyTag((tag) => pattern.test(foldTag(tag)));
    }
    case 'tagCount':
      return countTest(node.operator, node.value);
    case 'imageId': {
      const { id } = node;
      return (image) => image.id === id;
    }
    case 'has':
      if (node.what === 'proposals') return (image) => pendingProposals(image).length > 0;
      return nearDuplicateTest(context);
    case 'is':
      return (image) => image.excluded;
    case 'size': {
      const { dimension } = node;
      const compare = comparison(node.operator, node.value);
      return (image) => {
        const pixels = image[dimension];
        return pixels !== undefined && compare(pixels);
      };
    }
    case 'format': {
      const { format } = node;
      return (image) => image.format === format;
    }
    case 'text': {
      const matches = textTest(node.pattern);
      if (node.field === 'name') return (image) => image.file !== undefined && matches(image.file);
      return (image) =>
        image.source !== undefined && (matches(image.source.path) || matches(image.source.name));
    }
    case 'not': {
      const operand = compile(node.operand);
      return (image) => !operand(image);
    }
    case 'and': {
      const operands = node.operands.map(compile);
      return (image) => operands.every((operand) => operand(image));
    }
    case 'or': {
      const operands = node.operands.map(compile);
      return (image) => operands.some((operand) => operand(image));
    }
  }
}

/** A test that is true when one of the image's tags passes `matches`, remembered per tag. */
function anyTag(matches: (tag: string) => boolean): ImagePredicate {
  const answers = new Map<string, boolean>();
  return (image) => {
    for (const tag of image.tags) {
      let answer = answers.get(tag);
      if (answer === undefined) {
        answer = matches(tag);
        answers.set(tag, answer);
      }
      if (answer) return true;
    }
    return false;
  };
}

function wildcardPattern(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'su');
}

function countTest(operator: TagCountOperator, value: number): ImagePredicate {
  const compare = comparison(operator, value);
  return (image) => compare(image.tags.length);
}

function comparison(operator: TagCountOperator, value: number): (count: number) => boolean {
  switch (operator) {
    case '<':
      return (count) => count < value;
    case '<=':
      return (count) => count <= value;
    case '>':
      return (count) => count > value;
    case '>=':
      return (count) => count >= value;
    case '=':
      return (count) => count === value;
    case '!=':
      return (count) => count !== value;
  }
}

/** A case-blind test of a name: the whole name against a `*` pattern, else a substring. */
function textTest(pattern: string): (name: string) => boolean {
  const lower = pattern.toLowerCase();
  if (lower.includes('*')) {
    const expression = wildcardPattern(lower);
    return (name) => expression.test(name.toLowerCase());
  }
  return (name) => name.toLowerCase().includes(lower);
}

function nearDuplicateTest(context: QueryContext): ImagePredicate {
  const { hasNearDuplicates } = context;
  if (hasNearDuplicates === undefined) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      'has:near-duplicates needs the whole dataset to answer and cannot be used here; filter the image list with it, select the images and apply the change to the selection.',
      { details: { field: 'query', term: 'has:near-duplicates' } },
    );
  }
  return hasNearDuplicates;
}
