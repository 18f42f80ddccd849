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

/** Lists the issues of a failed parse as path + rule. */
export function describeIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath(issue.path),
    message: issue.message,
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
  const result = schema.safeParse(value);
  if (result.success) return result.data;
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
