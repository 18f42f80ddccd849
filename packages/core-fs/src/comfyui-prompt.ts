/**
 * Finds the prompt texts in a ComfyUI `prompt` graph: `{ "<node id>": { class_type, inputs } }`,
 * where an input is a value or a link `["<node id>", <output index>]`.
 */

interface GraphNode {
  class_type?: unknown;
  inputs?: Record<string, unknown>;
}
type Graph = Record<string, GraphNode>;
type Side = 'positive' | 'negative';

const TEXT_INPUTS = ['text', 'text_g', 'text_l', 'string', 'value', 'prompt', 'positive_prompt'];
/** Inputs that carry conditioning or text towards a sampler; others (model, clip, image…) do not. */
const CONDITIONING_INPUT = /conditioning|text|string|prompt|^value$/i;

function isLink(value: unknown): value is [string | number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    ['string', 'number'].includes(typeof value[0]) &&
    typeof value[1] === 'number'
  );
}

function isGraph(value: unknown): value is Graph {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const nodes = Object.values(value);
  return (
    nodes.length > 0 &&
    nodes.every((node) => typeof node === 'object' && node !== null && 'class_type' in node)
  );
}

/** The texts reached by walking back from a link, on one side (positive or negative). */
function textsBehind(graph: Graph, link: unknown, side: Side, seen: Set<string>): string[] {
  if (!isLink(link)) return [];
  const id = String(link[0]);
  const node = graph[id];
  if (node === undefined || seen.has(id)) return [];
  seen.add(id);
  const inputs = node.inputs ?? {};
  const texts: string[] = [];
  for (const key of TEXT_INPUTS) {
    const value = inputs[key];
    if (typeof value === 'string' && value.trim() !== '' && !texts.includes(value))
      texts.push(value);
  }
  const opposite: Side = side === 'positive' ? 'negative' : 'positive';
  for (const [key, value] of Object.entries(inputs)) {
    if (key === opposite || !(key === side || CONDITIONING_INPUT.test(key))) continue;
    texts.push(...textsBehind(graph, value, side, seen));
  }
  return texts;
}

function unique(texts: string[]): string[] {
  const cleaned = texts
    .map((text) => text.trim().replace(/,+$/, '').trim())
    .filter((text) => text !== '');
  return [...new Set(cleaned)];
}

/**
 * The positive and negative prompts of a ComfyUI graph, following each sampler's `positive` and
 * `negative` links back through conditioning nodes to the text encoders. Without a sampler, all
 * texts of text-encoder nodes count as the prompt. `undefined` when it is not such a graph.
 */
export function readComfyUiPrompt(
  graphJson: unknown,
): { prompt: string; negativePrompt?: string } | undefined {
  if (!isGraph(graphJson)) return undefined;
  const ids = Object.keys(graphJson).sort((left, right) => Number(left) - Number(right));
  const samplers = ids.filter((id) => {
    const inputs = graphJson[id]?.inputs ?? {};
    return isLink(inputs.positive) && isLink(inputs.negative);
  });
  const positive: string[] = [];
  const negative: string[] = [];
  for (const id of samplers) {
    const inputs = graphJson[id]?.inputs ?? {};
    positive.push(...textsBehind(graphJson, inputs.positive, 'positive', new Set()));
    negative.push(...textsBehind(graphJson, inputs.negative, 'negative', new Set()));
  }
  if (samplers.length === 0) {
    for (const id of ids) {
      if (/TextEncode/i.test(String(graphJson[id]?.class_type))) {
        positive.push(...textsBehind(graphJson, [id, 0], 'positive', new Set()));
      }
    }
  }
  const prompt = unique(positive).join(', ');
  if (prompt === '') return undefined;
  const negativePrompt = unique(negative).join(', ');
  return negativePrompt === '' ? { prompt } : { prompt, negativePrompt };
}
