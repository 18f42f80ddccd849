import type * as z from 'zod/mini';
import { CivtagError, ErrorCode } from './errors.js';

/** One broken rule: where in the value, and what was expected. */
export interface ValidationIssue {
  /** The field path, like `op.tags[2]`; empty for the value itself. */
  path: string;
  /** The rule that was broken, in words. */
  message: string;
}

/** Formats a zod issue path as `a.b[2].c`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

const GENERIC_MESSAGE = 'Invalid input';

function sizeUnit(origin: string): string {
  if (origin === 'string') return 'characters';
  if (origin === 'array' || origin === 'set') return 'items';
  return '';
}

/**
 * Says in words which rule an issue broke. `zod/mini` loads no locale (it keeps bundles
 * small), so civtag words the common rules itself; a schema's own message wins.
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.message && issue.message !== GENERIC_MESSAGE) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `is required (${issue.expected})`;
      return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small': {
      const unit = sizeUnit(issue.origin);
      if (unit === '')
        return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
      return `must have at least ${issue.minimum} ${unit}`;
    }
    case 'too_big': {
      const unit = sizeUnit(issue.origin);
      if (unit === '')
        return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
      return `must have at most ${issue.maximum} ${unit}`;
    }
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_value':
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
    case 'invalid_union':
      return issue.discriminator === undefined
        ? 'matches none of the allowed shapes'
        : `has no known "${issue.discriminator}"`;
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_element':
      return 'has an invalid element';
    default:
      return 'is invalid';
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Lists the issues of a failed parse as path + rule. */
export function describeIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath(issue.path),
    message: describeIssue(issue),
  }));
}

/**
 * Parses `value` with `schema`, or throws a `VALIDATION` {@link CivtagError} whose message
 * names `what`, each field path and the rule it broke, e.g.
 * `Invalid tag op: tags[0]: Too small: expected string to have >=1 characters`.
 */
export function parseOrThrow<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  // The inputs were only needed for the wording; they stay out of the error's details.
  const issues = describeIssues(result.error);
  const text = issues
    .slice(0, 5)
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`))
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new CivtagError(ErrorCode.VALIDATION, `Invalid ${what}: ${text}${more}`, {
    details: { issues },
  });
}
