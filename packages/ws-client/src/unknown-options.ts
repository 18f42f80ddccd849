import { CivtagError, ErrorCode } from '@civtag/ws-protocol';

/** Edits (insert, delete, replace a letter) between two names, ignoring case. */
function editDistance(from: string, to: string): number {
  const a = from.toLowerCase();
  const b = to.toLowerCase();
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const replace = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, replace);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The option most likely meant by `name`: the closest candidate within a third of its
 * length in edits, else one whose name it contains (`maxQueue` → `queue`). Candidates may be
 * paths (`queue.maxOps`); only their last part is compared.
 */
function likelyMeant(name: string, candidates: readonly string[]): string | undefined {
  const lastPart = (candidate: string) => candidate.slice(candidate.lastIndexOf('.') + 1);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, lastPart(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return (
    best ??
    candidates.find((candidate) => {
      const part = lastPart(candidate).toLowerCase();
      return part.length > 3 && name.toLowerCase().includes(part);
    })
  );
}

/**
 * Refuses a key of `options`, or of an option group inside it, that is not one of `known`
 * (dotted paths for the keys of a group: `queue`, `queue.maxOps`), so that a misspelt option
 * (`maxQueue`) is not silently ignored and its default used instead.
 *
 * @param group the group `options` is (`queue`), or `''` for the options themselves.
 * @throws CivtagError `VALIDATION` naming the unknown key and, when one is close, the one meant.
 */
export function refuseUnknownOptions(options: object, known: readonly string[], group = ''): void {
  const prefix = group === '' ? '' : `${group}.`;
  for (const [key, value] of Object.entries(options)) {
    const path = prefix + key;
    if (known.includes(path)) {
      if (typeof value === 'object' && value !== null) refuseUnknownOptions(value, known, path);
      continue;
    }
    const meant = likelyMeant(key, known);
    const here = known
      .filter((name) => name.startsWith(prefix) && !name.includes('.', prefix.length))
      .map((name) => name.slice(prefix.length));
    const hint =
      meant === undefined
        ? `the options${group === '' ? '' : ` of ${group}`} are ${here.join(', ')}.`
        : `did you mean ${meant}?`;
    throw new CivtagError(ErrorCode.VALIDATION, `Unknown client option ${path}; ${hint}`);
  }
}
