import { findTagProblem } from '@civtag/tags';
import { TaggerError } from './errors.js';

/** What a tag of the model is: WD taggers use category 9 for ratings, 0 general, 4 character. */
export type TagCategory = 'rating' | 'general' | 'character';

/** One output of the model: its row of `selected_tags.csv`. */
export interface TaggerLabel {
  /** The tag as the model names it, underscores and all (`long_hair`, `^_^`). */
  readonly name: string;
  /** `undefined` for a category civtag does not propose (artist, copyright, meta). */
  readonly category: TagCategory | undefined;
}

const CATEGORIES: Readonly<Record<string, TagCategory>> = {
  '9': 'rating',
  '0': 'general',
  '4': 'character',
};
const EXPECTED_HEADER = ['tag_id', 'name', 'category', 'count'];

/**
 * Reads `selected_tags.csv`, the label file of the WD v2/v3 taggers: a header
 * `tag_id,name,category,count` and one row per model output, in output order. Fields may be
 * quoted (`"a,b"`, `""` for a quote). Categories other than 9, 0 and 4 are kept as outputs but
 * never proposed.
 *
 * @param path Named in errors.
 * @throws {TaggerError} `VALIDATION` naming the file and line when the header is not that one,
 *   a row has not 4 fields, a category is not an integer, or a name is not a valid tag.
 */
export function parseSelectedTagsCsv(text: string, path: string): TaggerLabel[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  if (
    header === undefined ||
    EXPECTED_HEADER.some((name, index) => header[index]?.trim() !== name)
  ) {
    throw new TaggerError(
      'VALIDATION',
      `${path} does not start with the header "${EXPECTED_HEADER.join(',')}": it is not the selected_tags.csv of a WD14-layout tagger. Use the selected_tags.csv that came with model.onnx.`,
      { details: { path, line: 1 } },
    );
  }
  const labels: TaggerLabel[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    labels.push(parseRow(line, path, index + 1));
  }
  return labels;
}

function parseRow(line: string, path: string, lineNumber: number): TaggerLabel {
  const fail = (problem: string): never => {
    throw new TaggerError(
      'VALIDATION',
      `${path}, line ${lineNumber}: ${problem}. Each row must be "tag_id,name,category,count"; use the selected_tags.csv that came with model.onnx.`,
      { details: { path, line: lineNumber, text: line.slice(0, 200) } },
    );
  };
  const fields = splitCsvLine(line);
  if (fields === undefined) return fail('a quoted field is not closed');
  if (fields.length !== EXPECTED_HEADER.length) {
    return fail(`${fields.length} fields instead of ${EXPECTED_HEADER.length}`);
  }
  const [, name = '', category = ''] = fields;
  if (!/^\d+$/.test(category.trim())) return fail(`the category "${category}" is not a number`);
  const problem = findTagProblem(name);
  if (problem !== undefined) return fail(`the name "${name}" is not a usable tag (${problem})`);
  return { name: name.trim(), category: CATEGORIES[String(Number(category))] };
}

/** The fields of one CSV line (RFC 4180 quoting), or `undefined` when a quote is left open. */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quoted) {
      if (character !== '"') field += character;
      else if (line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else quoted = false;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      fields.push(field);
      field = '';
    } else field += character;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}
