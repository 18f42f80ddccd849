/** The repository root. */
export declare const repositoryRoot: string;
/** The corpus folder of the repository: `test/corpus`. */
export declare const corpusRoot: string;
/**
 * The absolute path of a corpus file or folder, e.g. `corpusPath('sharp-fixtures', 'truncated.png')`.
 * Throws, naming the path, when it is missing or outside the corpus; a test fails rather than skips.
 * The corpus is read-only to tests: copy what a test writes to ({@link copyCorpus}).
 */
export declare function corpusPath(...names: string[]): string;
/** Copies a corpus file or folder into `destination` and returns the copy's path. */
export declare function copyCorpus(name: string, destination: string): Promise<string>;
