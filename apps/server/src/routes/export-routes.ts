import { CivtagError, ErrorCode, Limits } from '@civtag/api-models';
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

/**
 * `GET /api/export?format=zip|kohya[&repeats=N]`: the dataset as a streamed zip, never held in
 * memory. `zip` has image + caption pairs at its root (Civitai); `kohya` has them in a
 * `<repeats>_<trigger>/` folder (kohya sd-scripts).
 */
export async function registerExportRoutes(
  app: FastifyInstance,
  context: RouteContext,
): Promise<void> {
  app.get('/api/export', async (request, reply) => {
    const query = request.query as { format?: unknown; repeats?: unknown };
    const format = query.format ?? 'zip';
    if (format !== 'zip' && format !== 'kohya') {
      throw new CivtagError(ErrorCode.VALIDATION, 'Invalid "format": use zip or kohya.');
    }
    const repeats = parseRepeats(query.repeats);
    const stream =
      format === 'zip'
        ? context.dataset.export({ format: 'zip' })
        : await kohyaZipStream(context.dataset, repeats);
    const { prefix } = context.dataset.settings;
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${prefix}-${format}.zip"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });
}
