import { open } from 'node:fs/promises';
import type { ImageFormat, ImageRecord } from '@civtag/api-models';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findImage } from './read-routes.js';
import type { RouteContext } from './route-context.js';

const MEDIA_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
};

/** True when the client already holds the version named by `etag`. */
function isFresh(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

function notModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}

async function makeThumbnail(context: RouteContext, image: ImageRecord): Promise<Uint8Array> {
  const bytes = await context.dataset.thumbnail(image.id);
  context.thumbnails.set(image.hash, bytes);
  return bytes;
}

/**
 * Thumbnails and image files, addressed by image id only (a client never names a path). The
 * ETag is the content hash. Thumbnails are immutable for their hash and kept in a bounded
 * in-memory cache; files are revalidated on each use.
 */
export async function registerImageFileRoutes(
  app: FastifyInstance,
  context: RouteContext,
): Promise<void> {
  app.get('/api/images/:id/thumb', async (request, reply) => {
    const image = findImage(context, (request.params as { id: unknown }).id);
    const etag = `"${image.hash}-thumb"`;
    reply
      .header('etag', etag)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type('image/webp');
    if (isFresh(request, etag)) return notModified(reply);
    const bytes = context.thumbnails.get(image.hash) ?? (await makeThumbnail(context, image));
    return reply.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get('/api/images/:id/file', async (request, reply) => {
    const image = findImage(context, (request.params as { id: unknown }).id);
    const etag = `"${image.hash}"`;
    reply
      .header('etag', etag)
      .header('cache-control', 'no-cache')
      .header('content-disposition', `inline; filename="${image.file.replace(/["\\\r\n]/g, '_')}"`)
      .type(MEDIA_TYPES[image.format]);
    if (isFresh(request, etag)) return notModified(reply);
    const file = await open(context.dataset.imagePath(image.id)).catch((cause: unknown) => {
      throw new CivtagError(
        ErrorCode.NOT_FOUND,
        `The file of image ${image.id} (${image.file}) is missing from the dataset folder; run "civtag check".`,
        {
          cause,
          details: { imageId: image.id },
        },
      );
    });
    return reply.send(file.createReadStream());
  });
}
