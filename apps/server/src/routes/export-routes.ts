import { type CaptionOptions, CivtagError, ErrorCode, Limits } from '@civtag/api-models';
import type { FastifyInstance } from 'fastify';
import { kohyaZipStream } from '../kohya-zip.js';
import type { RouteContext } from './route-context.js';

function parseRepeats(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const repeats = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : 0;
  if (repeats < 1 || repeats > Limits.kohyaRepeats) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `Invalid "repeats": a whole number from 1 to ${Limits.kohyaRepeats}.`,
    );
  }
  return repeats;
}

/** The tag style options a download may set, by the query parameter that names each. */
const TAG_STYLE_OPTIONS = ['escapeParentheses', 'underscoresToSpaces'] as const;

/**
 * The caption options a download asks for, over the dataset's own: each of
 * {@link TAG_STYLE_OPTIONS} given as `true` or `false`, absent to keep the dataset's setting.
 */
function parseTagStyle(query: Record<string, unknown>): Partial<CaptionOptions> {
  const overrides: Partial<CaptionOptions> = {};
  for (const name of TAG_STYLE_OPTIONS) {
    const value = query[name];
    if (value === undefined) continue;
    if (value !== 'true' && value !== 'false') {
      throw new CivtagError(ErrorCode.VALIDATION, `Invalid "${name}": use true or false.`, {
        details: { field: name },
      });
    }
    overrides[name] = value === 'true';
  }
  return overrides;
}

/**
 * `GET /api/export?format=zip|kohya[&repeats=N][&escapeParentheses=true|false]
 * [&underscoresToSpaces=true|false]`: the dataset as a streamed zip, never held in
 * memory. `zip` has image + caption pairs at its root (Civitai); `kohya` has them in a
 * `<repeats>_<trigger>/` folder (kohya sd-scripts). The tag style options override the
 * dataset's caption settings for this download only (as `civtag export --escape-parens
 * --underscores-to-spaces`).
 */
export async function registerExportRoutes(
  app: FastifyInstance,
  context: RouteContext,
): Promise<void> {
  app.get('/api/export', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const format = query.format ?? 'zip';
    if (format !== 'zip' && format !== 'kohya') {
      throw new CivtagError(ErrorCode.VALIDATION, 'Invalid "format": use zip or kohya.');
    }
    const repeats = parseRepeats(query.repeats);
    const tagStyle = parseTagStyle(query);
    const stream =
      format === 'zip'
        ? context.dataset.export({ format: 'zip' }, tagStyle)
        : await kohyaZipStream(context.dataset, { repeats, tagStyle });
    const { prefix } = context.dataset.settings;
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${prefix}-${format}.zip"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });
}
