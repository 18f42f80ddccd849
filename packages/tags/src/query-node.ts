/** A comparison in a tag-count term such as `tags<5`. */
export type TagCountOperator = '<' | '<=' | '>' | '>=' | '=' | '!=';

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
  /** An image with an auto-tagger's proposals still waiting for a decision (`has:proposals`). */
  | { type: 'has'; what: 'proposals' }
  | { type: 'not'; operand: QueryNode }
  | { type: 'and'; operands: QueryNode[] }
  | { type: 'or'; operands: QueryNode[] };
