import type { ErrorCode, ImageFormat } from '@civtag/api-models';

/** An image found by `scanImages`. */
export interface ScannedImage {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned folder, with `/` between names. */
  relativePath: string;
  /** Size in bytes. */
  size: number;
  /** The format its content announces (which wins over its extension). */
  format: ImageFormat;
}

/** A file or folder `scanImages` could not take, and why. */
export interface ScanProblem {
  path: string;
  code: ErrorCode;
  message: string;
}

/** A file or folder found by the walk, before it is checked. */
export interface Candidate {
  path: string;
  relativePath: string;
}
