// Deterministic choices: every actor of a soak draws from its own stream made from the run's
// seed and the actor's name, so one seed gives the same sequence of decisions on every run
// (what the server and the clock do with them still varies).

/** A number for `text` (FNV-1a), to derive one stream per actor from the run's seed. */
function hashText(text) {
  let hash = 2166136261;
  for (const character of text) {
    hash ^= character.codePointAt(0);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash;
}

/**
 * A random source (xorshift32) with the helpers a soak needs: `next()` in [0, 1), `between(low,
 * high)` a real number, `integer(low, high)` inclusive, `pick(list)`, `chance(p)`, `shuffle(list)`
 * (a copy), and `fork(name)` for an independent stream.
 */
export function seededRandom(seed, name = '') {
  let state = (hashText(`${seed}:${name}`) * 2654435761) >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const random = {
    next,
    between: (low, high) => low + next() * (high - low),
    integer: (low, high) => low + Math.floor(next() * (high - low + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (probability) => next() < probability,
    shuffle: (list) => {
      const copy = [...list];
      for (let index = copy.length - 1; index > 0; index -= 1) {
        const other = Math.floor(next() * (index + 1));
        [copy[index], copy[other]] = [copy[other], copy[index]];
      }
      return copy;
    },
    fork: (child) => seededRandom(seed, `${name}/${child}`),
  };
  return random;
}
