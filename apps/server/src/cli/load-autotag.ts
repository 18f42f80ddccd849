import { CivtagError, ErrorCode } from '@civtag/api-models';

/** The auto-tagger package: an optional dependency of civtag, never bundled (it is native). */
export type AutotagModule = typeof import('@civtag/autotag');

/** What to run to add the tagger where it is missing. */
export const AUTOTAG_INSTALL_HINT =
  'install it beside civtag: "npm install --global @civtag/autotag" (or reinstall civtag with its optional dependencies: "npm install --global civtag --include=optional"); from a clone of civtag, "pnpm install"';

/**
 * Loads `@civtag/autotag` from the installed packages, with a dynamic import so that civtag
 * starts and works without it (onnxruntime-node is large and native, and npm skips an optional
 * dependency it cannot install). `specifier` is for tests.
 *
 * @throws CivtagError `NOT_FOUND` saying how to add it, when it (or onnxruntime-node) is not installed.
 */
export async function loadAutotag(specifier = '@civtag/autotag'): Promise<AutotagModule> {
  try {
    return (await import(specifier)) as AutotagModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `Auto-tagging needs the optional package @civtag/autotag (with onnxruntime-node), which is not installed here (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ${AUTOTAG_INSTALL_HINT}.`,
      { cause: error },
    );
  }
}
