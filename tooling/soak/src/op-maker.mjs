// The ops the soak's clients send, drawn from the model of the dataset the history recorder
// keeps. Marker tags ("<client> n<k>") are new every time, so an op that adds one always
// changes something: the history must show it at its revision ("verifiable").

/** Ordinary tags; all lower case with spaces, which every tag style keeps as they are. */
export const VOCABULARY = [
  'solo',
  'smile',
  'grin',
  'outdoors',
  'indoors',
  'red hair',
  'blue eyes',
  'long hair',
  'short hair',
  'looking at viewer',
  'upper body',
  'simple background',
];

/** True for a marker tag made by a soak client or editor. */
export function isMarker(tag) {
  return /^[a-z]+\d* n\d+$/.test(tag);
}

/**
 * Makes ops for one client. `model` is the recorder; `pools.excludable` the ids only
 * exclude/restore ops touch, `pools.quiet` those only bulk ops over all images touch (the
 * editor's, so that an edit there rarely races an op). `marker()` gives a fresh tag.
 */
export function makeOpMaker({ model, random, markerPrefix, pools }) {
  let markers = 0;
  const marker = () => `${markerPrefix} n${++markers}`;
  const taggable = () => {
    const ids = [];
    for (const image of model.images.values())
      if (!image.excluded && !pools.excludable.has(image.id) && !pools.quiet.has(image.id))
        ids.push(image.id);
    return ids;
  };
  const someIds = (count) => {
    const ids = taggable();
    return random.shuffle(ids).slice(0, Math.max(1, Math.min(count, ids.length)));
  };
  const vocabulary = (count) => random.shuffle(VOCABULARY).slice(0, count);

  /** A small op of a user tagging by hand: `{ op, kind, verifiable }`. */
  function small() {
    const roll = random.next();
    if (roll < 0.45) {
      return {
        op: { type: 'add', target: { ids: someIds(random.integer(1, 3)) }, tags: [marker()] },
        kind: 'add',
        verifiable: true,
      };
    }
    if (roll < 0.65) {
      const [imageId] = someIds(1);
      return {
        op: { type: 'set', imageId, tags: [...vocabulary(random.integer(1, 4)), marker()] },
        kind: 'set',
        verifiable: true,
      };
    }
    if (roll < 0.75) {
      return {
        op: {
          type: 'add',
          target: { ids: someIds(random.integer(1, 3)) },
          tags: [marker()],
          position: 'start',
        },
        kind: 'add-start',
        verifiable: true,
      };
    }
    if (roll < 0.85) {
      const [imageId] = someIds(1);
      const tags = model.images.get(imageId)?.tags ?? [];
      if (tags.length > 0)
        return {
          op: { type: 'remove', target: { ids: [imageId] }, tags: [random.pick(tags)] },
          kind: 'remove',
          verifiable: false,
        };
      return {
        op: { type: 'add', target: { ids: [imageId] }, tags: [marker()] },
        kind: 'add',
        verifiable: true,
      };
    }
    if (roll < 0.93) {
      const [imageId] = someIds(1);
      const tags = model.images.get(imageId)?.tags ?? [];
      if (tags.length > 1)
        return {
          op: { type: 'move', imageId, tag: random.pick(tags), index: 0 },
          kind: 'move',
          verifiable: false,
        };
      return {
        op: { type: 'set', imageId, tags: [...vocabulary(2), marker()] },
        kind: 'set',
        verifiable: true,
      };
    }
    const [from, to] = random.shuffle(VOCABULARY);
    return {
      op: { type: 'replace', target: { ids: someIds(random.integer(2, 8)) }, from, to },
      kind: 'replace',
      verifiable: false,
    };
  }

  /** A bulk op over many or all images. */
  function bulk() {
    const roll = random.next();
    if (roll < 0.3)
      return {
        op: { type: 'add', target: { all: true }, tags: [marker()] },
        kind: 'bulk-add',
        verifiable: true,
      };
    if (roll < 0.55)
      return (
        janitor(0) ?? {
          op: { type: 'add', target: { all: true }, tags: [marker()] },
          kind: 'bulk-add',
          verifiable: true,
        }
      );
    if (roll < 0.7) {
      const [from, to] = random.shuffle(VOCABULARY);
      return {
        op: { type: 'rename-tags', target: { all: true }, renames: [{ from, to }] },
        kind: 'bulk-rename',
        verifiable: false,
      };
    }
    if (roll < 0.85) {
      const ids = random.shuffle(taggable()).slice(0, 50);
      return {
        op: { type: 'add', target: { ids }, tags: [marker(), random.pick(VOCABULARY)] },
        kind: 'bulk-add-ids',
        verifiable: true,
      };
    }
    const ids = random
      .shuffle([...pools.excludable])
      .slice(0, random.integer(1, pools.excludable.size));
    const type = random.chance(0.5) ? 'exclude' : 'restore';
    return { op: { type, target: { ids } }, kind: type, verifiable: false };
  }

  /**
   * A bulk `remove` of up to 1,000 marker tags when more than `threshold` are in the dataset,
   * so that captions stay short however long the soak runs; `undefined` otherwise.
   */
  function janitor(threshold) {
    const present = new Set();
    for (const image of model.images.values())
      for (const tag of image.tags) if (isMarker(tag)) present.add(tag);
    if (present.size <= threshold) return undefined;
    const tags = random.shuffle([...present]).slice(0, 1000);
    return {
      op: { type: 'remove', target: { all: true }, tags },
      kind: 'bulk-remove-markers',
      verifiable: false,
    };
  }

  return { small, bulk, janitor };
}
