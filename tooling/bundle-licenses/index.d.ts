/**
 * Reads an esbuild metafile (tsup's `metafile: true`), finds every npm package whose code the
 * bundle holds, and writes their names, versions, licences and licence texts to `outFile`.
 * The metafile is removed afterwards: it is a build by-product, not something to ship.
 * Throws when a bundled package has no licence field and no licence file, so nothing ships
 * without its notice.
 */
export declare function writeBundleLicenses(options: {
  /** The package folder the build ran in (the metafile's paths are relative to it). */
  packageRoot: string;
  /** The metafile to read, e.g. `dist/metafile-esm.json`. */
  metafile: string;
  /** Where the notices go, e.g. `dist/THIRD-PARTY-LICENSES.txt`. */
  outFile: string;
}): Promise<{ packages: string[] }>;
