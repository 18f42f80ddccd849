import { tryNormalizeTag } from './normalize-tag.js';

const ESCAPABLE = new Set(['(', ')', '[', ']', '{', '}', '\\', ':', '<', '>']);
const OPENING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSING = new Set([')', ']', '}']);
/** `:1.2)` or `: 0.5 ]`: a weight or a step count right before the bracket closes. */
const TRAILING_NUMBER = /^:\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*(?=[)\]])/;
/** A1111's `BREAK` (new chunk) and `AND` (composable diffusion) separate prompt parts. */
const BREAK_KEYWORD = /(?<![\p{L}\p{N}_])(?:BREAK|AND)(?![\p{L}\p{N}_])/gu;
const EMBEDDING = /(?:^|\s)embedding:\S+/gi;
/** `<lora:name:0.8>`, `<hypernet:name>`, `<lyco:…>`: extra networks, not tags. */
const EXTRA_NETWORK = /<[A-Za-z_]+:[^<>\n]*>/y;
const NOVELAI_WEIGHT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Turns a generation prompt (A1111 / Forge, ComfyUI, NovelAI) into tags, in prompt order,
 * without duplicates:
 *
 * - attention: `(x)`, `((x))`, `{x}`, `[x]`, `(x:1.2)`, NovelAI `1.2::x::` → `x`;
 * - prompt editing `[a:b:0.5]` and alternation `[a|b]` → both `a` and `b`;
 * - `<lora:…>`, `<lyco:…>`, `<hypernet:…>` and `embedding:name` are left out;
 * - `BREAK`, `AND` (composable diffusion), commas and line breaks separate tags;
 * - `\(` and `\)` are literal parentheses: `photo \(medium\)` → `photo (medium)`;
 * - whitespace is collapsed; an entry that cannot be a tag is left out.
 *
 * Never throws.
 * @example promptToTags('masterpiece, (1girl:1.2), <lora:sakura:0.8>, photo \\(medium\\)')
 * // ['masterpiece', '1girl', 'photo (medium)']
 */
export function promptToTags(prompt: string): string[] {
  const pieces = splitPrompt(prompt.replace(BREAK_KEYWORD, ','));
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const piece of pieces) {
    const tag = tryNormalizeTag(piece.replace(EMBEDDING, ' '));
    if (tag === undefined || seen.has(tag)) continue;
    seen.add(tag);
    tags.push(tag);
  }
  return tags;
}

/** Splits a prompt into raw tag texts, dropping bracket syntax, weights and extra networks. */
function splitPrompt(prompt: string): string[] {
  const pieces: string[] = [];
  const brackets: string[] = [];
  let current = '';
  const flush = () => {
    pieces.push(current);
    current = '';
  };
  let index = 0;
  while (index < prompt.length) {
    const character = prompt[index] as string;
    const next = prompt[index + 1];
    if (character === '\\' && next !== undefined && ESCAPABLE.has(next)) {
      current += next;
      index += 2;
      continue;
    }
    if (character === '<') {
      EXTRA_NETWORK.lastIndex = index;
      if (EXTRA_NETWORK.test(prompt)) {
        index = EXTRA_NETWORK.lastIndex;
        continue;
      }
    }
    const weight =
      character === ':' && brackets.length > 0
        ? TRAILING_NUMBER.exec(prompt.slice(index, index + 40))
        : null;
    if (weight !== null) {
      index += weight[0].length;
      continue;
    }
    if (character === ':' && next === ':' && brackets.length === 0) {
      // NovelAI: `1.2::text::`; the number before is a weight, not a tag.
      if (NOVELAI_WEIGHT.test(current.trim())) current = '';
      else flush();
      index += 2;
      continue;
    }
    const innermost = brackets[brackets.length - 1];
    if (OPENING[character] !== undefined) {
      brackets.push(OPENING[character] as string);
      current += ' ';
    } else if (CLOSING.has(character)) {
      if (innermost === character) brackets.pop();
      current += ' ';
    } else if (character === ',' || character === '\n' || character === '\r') {
      flush();
    } else if ((character === ':' || character === '|') && innermost === ']') {
      flush();
    } else {
      current += character;
    }
    index += 1;
  }
  flush();
  return pieces;
}
