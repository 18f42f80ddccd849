import type { ImageFormat, ImageSource, Proposal, TagOp, TagStyle } from '@civtag/api-models';
import type { QueryContext } from './compile-query.js';

/** The part of an image record that tag ops read: its id, its tags in order, and whether it is excluded. */
export interface TaggableImage {
  id: string;
  tags: readonly string[];
  excluded: boolean;
  /** What an auto-tagger proposed for it (pending or not: see `pendingProposals`). */
  proposals?: readonly Proposal[];
  /** The folds (`foldTag`) of the proposals rejected for it: never proposed again. */
  rejected?: readonly string[];
  /** Its file name in the dataset folder (what `name:` filters read). */
  file?: string;
  /** Its size in pixels and format (what `width<768`, `format:png` read). */
  width?: number;
  height?: number;
  format?: ImageFormat;
  /** Where it was imported from (what `source:` reads). */
  source?: ImageSource;
}

/** The tag-related state of one image. */
export interface ImageTagState {
  tags: string[];
  excluded: boolean;
  /** Present only in the changes of `reject-proposals` and `restore-proposals`: the folds rejected. */
  rejected?: string[];
}

/** What an op did to one image. */
export interface ImageTagChange {
  imageId: string;
  before: ImageTagState;
  after: ImageTagState;
}

/** The outcome of {@link applyTagOp}. */
export interface TagOpResult {
  /** One entry per image the op changed, in the order of the images map; unchanged images are absent. */
  changes: ImageTagChange[];
  /**
   * Ops that, applied in order to the images after `changes` (with the same trigger word and
   * tag style, and `restoring: true`), restore them exactly. Empty when nothing changed. Targets are always explicit ids.
   */
  inverse: TagOp[];
}

/** Options of {@link applyTagOp}. */
export interface ApplyTagOpOptions {
  /**
   * The dataset's trigger word. Where an image's first tag is this word it stays first:
   * adding at `start` or index 0 inserts after it, and moving another tag to index 0 lands
   * at index 1. Adding the trigger word (or renaming a tag to it) puts it first, and `set`
   * puts it first. Only moving the trigger word itself places it elsewhere. It is exempt from
   * the tag style, and a tag that folds to it (`Sakura` for `sakura`) is taken as it. Default: none.
   */
  triggerWord?: string;
  /**
   * The dataset's tag style: the tags an op brings (`add`, `set`, `replace`'s `to`) are stored
   * in it (see `styleTag`), and `normalize` rewrites to it. Default: none, tags are kept as
   * written.
   */
  tagStyle?: TagStyle;
  /**
   * The op is an undo or redo step (an `inverse`): its tags are taken exactly as written, not
   * brought to the tag style, and a `settings` op changes no tags (the steps after it restore
   * them). Default `false`.
   */
  restoring?: boolean;
  /**
   * What a `{ query }` target needs beyond the images (`has:near-duplicates`: see
   * `compileQuery`). Without it such a target is refused. Default: none.
   */
  queryContext?: QueryContext;
}
