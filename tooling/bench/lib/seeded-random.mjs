// A small deterministic random source (xorshift32), so that generated inputs are the same on
// every machine and every run.

/** Returns a function giving numbers in [0, 1) from `seed`, the same sequence every time. */
export function seededRandom(seed) {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}
