const PARENTHESIS_ESCAPE = /\\+(?=[()])/g;
const SPACE_OR_UNDERSCORE_RUN = /[\s_]+/gu;

/**
 * The form two tags are compared in when searching: NFC, lower case, parenthesis escapes
 * dropped, and underscores treated as spaces, so `Long_Hair` finds `long hair`.
 * Stored tags are never rewritten to this form; it is for matching only.
 */
export function foldTag(text: string): string {
  return text
    .normalize('NFC')
    .replace(PARENTHESIS_ESCAPE, '')
    .replace(SPACE_OR_UNDERSCORE_RUN, ' ')
    .trim()
    .toLowerCase();
}
