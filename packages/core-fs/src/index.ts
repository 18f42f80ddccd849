export { FileError, ImageError, PathOutsideRootError } from './errors.js';
export { resolveInsideRoot } from './resolve-inside-root.js';
export { sweepTempFiles } from './sweep-temp-files.js';
export type { WriteFileAtomicOptions } from './write-file-atomic.js';
export { writeFileAtomic } from './write-file-atomic.js';
