/**
 * Keeps one string per distinct tag for the records a tab holds. Records parsed from JSON each
 * carry their own copies of their tags (some 25 strings an image): at 100,000 images a scroll to
 * the bottom left ~45 MB of live heap, mostly those copies, and each full garbage collection in
 * the scroll had all of them to mark.
 */
export class TagInterner {
  private readonly known = new Map<string, string>();

  /** How many distinct tags are kept. */
  get size(): number {
    return this.known.size;
  }

  /** Puts the kept string of each tag in `tags` in place of its copy; returns `tags`. */
  intern(tags: string[]): string[] {
    for (let index = 0; index < tags.length; index += 1) {
      const tag = tags[index]!;
      const kept = this.known.get(tag);
      if (kept === undefined) this.known.set(tag, tag);
      else tags[index] = kept;
    }
    return tags;
  }
}
