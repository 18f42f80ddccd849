import { CivtagError, ErrorCode } from '@civtag/api-models';
import { findTagProblem, normalizeTag, quoteForMessage } from './normalize-tag.js';

/** One known tag of a tag vocabulary (a Danbooru or e621 tag list). */
export interface VocabularyEntry {
  tag: string;
  /** The booru's category number (Danbooru: 0 general, 1 artist, 3 copyright, 4 character, 5 meta). */
  category: number;
  /** How many posts on the booru carry the tag; used to rank suggestions. */
  count: number;
  /** Other spellings that mean this tag (`1girls` for `1girl`). */
  aliases: string[];
}

/**
 * Reads a tag list in the CSV format of a1111-sd-webui-tagcomplete
 * (`danbooru.csv`, `e621.csv`): one tag a line as `tag,category,count,"alias1,alias2"`.
 * `count` and the aliases may be missing (0 and none). A byte-order mark, CRLF line ends,
 * blank lines and a header line (`tag,category,…`) are accepted; quoted fields follow
 * RFC 4180 (`""` is a quote). Tags and aliases are normalised as by `normalizeTag`;
 * aliases that are not valid tags (empty, say) are left out.
 *
 * @throws CivtagError `VALIDATION` naming the line for a line whose tag is invalid, whose
 *   category or count is not a whole number, or whose quote is never closed.
 * @example parseVocabularyCsv('1girl,0,4114588,"1girls,sole_female"')
 * // [{ tag: '1girl', category: 0, count: 4114588, aliases: ['1girls', 'sole_female'] }]
 */
export function parseVocabularyCsv(csv: string): VocabularyEntry[] {
  const text = csv.startsWith('\uFEFF') ? csv.slice(1) : csv;
  const entries: VocabularyEntry[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = splitCsvLine(line, index + 1);
    const [tag = '', category = '0', count = '0', aliases = ''] = fields.map((field) =>
      field.trim(),
    );
    if (index === 0 && !/^\d+$/.test(category)) return; // a header line
    const problem = findTagProblem(tag);
    if (problem !== undefined)
      throw lineError(index + 1, `the tag ${quoteForMessage(tag)} is invalid: ${problem}`);
    entries.push({
      tag: normalizeTag(tag),
      category: wholeNumber(category, 'category', index + 1),
      count: wholeNumber(count === '' ? '0' : count, 'count', index + 1),
      aliases: aliases
        .split(',')
        .filter((alias) => findTagProblem(alias) === undefined)
        .map(normalizeTag),
    });
  });
  return entries;
}

function splitCsvLine(line: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      fields.push(field);
      field = '';
    } else field += character;
  }
  if (quoted) throw lineError(lineNumber, 'a quoted field is never closed; add the closing "');
  fields.push(field);
  return fields;
}

function wholeNumber(text: string, field: string, lineNumber: number): number {
  if (!/^\d{1,15}$/.test(text)) {
    throw lineError(lineNumber, `the ${field} ${quoteForMessage(text)} is not a whole number`);
  }
  return Number(text);
}

function lineError(lineNumber: number, problem: string): CivtagError {
  return new CivtagError(
    ErrorCode.VALIDATION,
    `Tag vocabulary line ${lineNumber}: ${problem}. Fix or remove the line.`,
    { details: { line: lineNumber } },
  );
}
