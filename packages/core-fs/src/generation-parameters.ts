import { readComfyUiPrompt } from './comfyui-prompt.js';

/** The prompt an image was generated from, as its generator recorded it. */
export interface GenerationMetadata {
  tool: 'a1111' | 'comfyui' | 'invokeai' | 'novelai' | 'fooocus' | 'unknown';
  prompt: string;
  negativePrompt?: string;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || !/^\s*[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

function result(tool: GenerationMetadata['tool'], prompt: string | undefined, negative?: string) {
  const trimmed = prompt?.trim() ?? '';
  if (trimmed === '') return undefined;
  const metadata: GenerationMetadata = { tool, prompt: trimmed };
  if (negative !== undefined && negative.trim() !== '') metadata.negativePrompt = negative.trim();
  return metadata;
}

/**
 * AUTOMATIC1111's `parameters` text: the prompt, then `Negative prompt: …`, then one line of
 * settings starting with `Steps: `. Fooocus can write the same form (with `Fooocus` in it).
 */
export function parseA1111Parameters(text: string): GenerationMetadata | undefined {
  let body = text.replace(/\r\n?/g, '\n');
  const settings = body.search(/(^|\n)Steps: \d/);
  const hasSettings = settings >= 0;
  if (hasSettings) body = body.slice(0, settings);
  const negativeAt = body.search(/(^|\n)Negative prompt:/);
  const prompt = negativeAt >= 0 ? body.slice(0, negativeAt) : body;
  const negative =
    negativeAt >= 0 ? body.slice(negativeAt).replace(/^\n?Negative prompt:/, '') : undefined;
  const tool =
    /Fooocus/.test(text.slice(Math.max(0, settings))) && hasSettings
      ? 'fooocus'
      : hasSettings || negativeAt >= 0
        ? 'a1111'
        : 'unknown';
  return result(tool, prompt, negative);
}

/** InvokeAI 2's prompt syntax puts the negative prompt in square brackets. */
function splitInvokeBrackets(text: string): { prompt: string; negative: string } {
  const negative = [...text.matchAll(/\[([^\]]*)\]/g)]
    .map((match) => match[1]!.trim())
    .filter(Boolean);
  return {
    prompt: text.replace(/\[[^\]]*\]/g, ' ').replace(/\s+/g, ' '),
    negative: negative.join(', '),
  };
}

/** Interprets the text entries of an image (PNG chunks, or EXIF text as `parameters`). */
export function interpretTextEntries(
  entries: ReadonlyMap<string, string>,
): GenerationMetadata | undefined {
  const comfy = readComfyUiPrompt(parseJson(entries.get('prompt')));
  if (comfy !== undefined) return result('comfyui', comfy.prompt, comfy.negativePrompt);

  const invoke = parseJson(entries.get('invokeai_metadata'));
  if (invoke !== undefined) {
    const found = result(
      'invokeai',
      stringField(invoke, 'positive_prompt'),
      stringField(invoke, 'negative_prompt'),
    );
    if (found !== undefined) return found;
  }
  const legacyInvoke = field(field(parseJson(entries.get('sd-metadata')), 'image'), 'prompt');
  const legacyText = Array.isArray(legacyInvoke)
    ? stringField(legacyInvoke[0], 'prompt')
    : legacyInvoke;
  const dream = entries.get('Dream')?.match(/^\s*"((?:[^"\\]|\\.)*)"/)?.[1];
  const invokeText = typeof legacyText === 'string' ? legacyText : dream;
  if (invokeText !== undefined) {
    const { prompt, negative } = splitInvokeBrackets(invokeText);
    const found = result('invokeai', prompt, negative);
    if (found !== undefined) return found;
  }

  const comment = parseJson(entries.get('Comment'));
  if (
    entries.get('Software') === 'NovelAI' ||
    (entries.has('Description') && field(comment, 'uc') !== undefined)
  ) {
    const found = result(
      'novelai',
      entries.get('Description') ?? stringField(comment, 'prompt'),
      stringField(comment, 'uc'),
    );
    if (found !== undefined) return found;
  }

  const parameters = entries.get('parameters');
  const parametersJson = parseJson(parameters);
  if (parametersJson !== undefined || entries.get('fooocus_scheme') !== undefined) {
    const found = result(
      'fooocus',
      stringField(parametersJson, 'prompt'),
      stringField(parametersJson, 'negative_prompt'),
    );
    if (found !== undefined) return found;
  }
  if (parameters !== undefined) return parseA1111Parameters(parameters);
  return undefined;
}
