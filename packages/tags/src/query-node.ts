import type { ImageFormat } from '@civtag/api-models';

/** A comparison in a tag-count term such as `tags<5`, or a size term such as `width<768`. */
export type TagCountOperator = '<' | '<=' | '>' | '>=' | '=' | '!=';

/** What a `has:` term asks for. */
export type HasWhat = 'proposals' | 'near-duplicates';

/**
 * A parsed filter query. Tags are kept as written (unescaped); matching compares them
 * folded (see `compileQuery`).
 */
export type QueryNode =
  /** The empty query: every image. */
  | { type: 'all' }
  /** An image that has this tag. */
  | { type: 'tag'; tag: string }
  /** An image with a tag matching this pattern, where `*` stands for any run of characters. */
  | { type: 'wildcard'; pattern: string }
  /** An image whose number of tags compares so (`untagged` is `tags=0`). */
  | { type: 'tagCount'; operator: TagCountOperator; value: number }
  /** The image with exactly this id (`id:Qm9vX2Jhcl9i`), e.g. the images a check report names. */
  | { type: 'imageId'; id: string }
  /**
   * An image with an auto-tagger's proposals still waiting for a decision (`has:proposals`), or
   * one that looks like another image of the dataset (`has:near-duplicates`).
   */
  | { type: 'has'; what: HasWhat }
  /** An image excluded from training (`is:excluded`). */
  | { type: 'is'; what: 'excluded' }
  /** An image whose width or height in pixels compares so (`width<768`, `height>=1024`). */
  | { type: 'size'; dimension: 'width' | 'height'; operator: TagCountOperator; value: number }
  /** An image in this format (`format:png`; `jpg` reads as `jpeg`). */
  | { type: 'format'; format: ImageFormat }
  /**
   * An image whose dataset file name (`name:`) or source file name or path (`source:`) holds
   * this text, ignoring case; with `*` the whole name must match the pattern.
   */
  | { type: 'text'; field: 'name' | 'source'; pattern: string }
  | { type: 'not'; operand: QueryNode }
  | { type: 'and'; operands: QueryNode[] }
  | { type: 'or'; operands: QueryNode[] };
