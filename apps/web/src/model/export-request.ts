import { Limits, type Settings } from '@civtag/api-models';

/** What an export download asks the server for (`GET /api/export`). */
export type ExportRequest =
  /** The Civitai zip: image + caption pairs at its root. */
  | { format: 'zip' }
  /** The kohya layout: a `<repeats>_<trigger>/` folder, captions in the tag style chosen. */
  | {
      format: 'kohya';
      repeats: number;
      /** Write `(` and `)` as `\(` and `\)`, or not, whatever the dataset's style says. */
      escapeParentheses: boolean;
      /** Write `long_hair` as `long hair` (tags longer than 3 characters); false keeps the dataset's own style. */
      underscoresToSpaces: boolean;
    };

/** The repeats field read: a number the server takes, or what to tell the user. */
export type ParsedRepeats = { valid: true; repeats: number } | { valid: false; message: string };

/** Reads the repeats field: a whole number from 1 to `Limits.kohyaRepeats`. */
export function parseRepeats(text: string): ParsedRepeats {
  const trimmed = text.trim();
  const repeats = /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : 0;
  if (repeats >= 1 && repeats <= Limits.kohyaRepeats) return { valid: true, repeats };
  return {
    valid: false,
    message: `Repeats must be a whole number from 1 to ${Limits.kohyaRepeats.toLocaleString()}.`,
  };
}

/** What the kohya download starts from: the dataset's repeats and its tag style. */
export function kohyaDefaults(
  settings: Pick<Settings, 'kohyaRepeats' | 'tagStyle'>,
): Omit<Extract<ExportRequest, { format: 'kohya' }>, 'format'> {
  return {
    repeats: settings.kohyaRepeats,
    escapeParentheses: settings.tagStyle.escapeParentheses,
    underscoresToSpaces: settings.tagStyle.separator === 'space',
  };
}

/**
 * The address of the download, for a link's `href`. `escapeParentheses` is always sent, so
 * switching it off writes plain parentheses even in a dataset that escapes them;
 * `underscoresToSpaces` only when on (as the CLI's `--underscores-to-spaces`): off leaves
 * the tags as stored.
 */
export function exportPath(request: ExportRequest): string {
  const search = new URLSearchParams({ format: request.format });
  if (request.format === 'kohya') {
    search.set('repeats', String(request.repeats));
    search.set('escapeParentheses', String(request.escapeParentheses));
    if (request.underscoresToSpaces) search.set('underscoresToSpaces', 'true');
  }
  return `/api/export?${search}`;
}

/**
 * The folder the kohya zip holds, as the server names it: `<repeats>_<trigger word or prefix>`
 * (`10_sakura_style`), the name kohya sd-scripts reads the repeats from.
 */
export function kohyaFolderName(
  repeats: number,
  settings: { prefix: string; triggerWord?: string | undefined },
): string {
  return `${repeats}_${settings.triggerWord ?? settings.prefix}`;
}
