import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import type {
  ChangesResponse,
  DatasetResponse,
  HealthResponse,
  ImageRecord,
  NearDuplicatesResponse,
  TagsResponse,
} from '@civtag/api-models';
import {
  CivtagError,
  ErrorCode,
  ImageIdSchema,
  ImagesQuerySchema,
  parseOrThrow,
  TagsQuerySchema,
} from '@civtag/api-models';
import { foldTag } from '@civtag/tags';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './route-context.js';

/** Finds an image by a client-given id, or throws `VALIDATION` / `NOT_FOUND`. */
export function findImage(context: RouteContext, id: unknown): ImageRecord {
  const imageId = parseOrThrow(ImageIdSchema, id, 'image id');
  const image = context.dataset.image(imageId);
  if (image === undefined) {
    throw new CivtagError(ErrorCode.NOT_FOUND, `No image with id "${imageId}" in this dataset.`, {
      details: { imageId },
    });
  }
  return image;
}

function parseRevision(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      'Invalid "since": give the last revision seen, a whole number (0 for everything).',
    );
  }
  return Number(value);
}

/**
 * Turns `offset` (a position among the images matching `q`) into the cursor the dataset's query
 * takes (a position in import order). Without a filter the two are the same; with one, the
 * positions of the matches are worked out once per revision and query, so that a grid jumping
 * from page to page (End, a scrollbar dragged to the bottom) pays for one pass, not one a page.
 */
const LAST_CURSOR = 999_999_999_999;

function offsetCursors(context: RouteContext) {
  let known: { revision: number; q: string; positions: Int32Array; count: number } | null = null;
  return (q: string, offset: number): string => {
    // A cursor has at most 12 digits; one past every image gives an empty last page.
    if (q === '') return String(Math.min(offset, LAST_CURSOR));
    const { dataset } = context;
    if (known === null || known.revision !== dataset.revision || known.q !== q) {
      known = {
        revision: dataset.revision,
        q,
        positions: dataset.matchPositions(q),
        count: dataset.imageCount,
      };
    }
    return String(known.positions[offset] ?? known.count);
  };
}

type VocabularyEncoding = 'br' | 'gzip';

/** The encodings `accept-encoding` allows, best first (a `q=0` refuses one). */
function acceptedEncodings(header: string | string[] | undefined): VocabularyEncoding[] {
  const allowed = new Set<string>();
  for (const part of String(header ?? '').split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const refused = parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter));
    if (!refused) allowed.add(name.trim());
  }
  return (['br', 'gzip'] as const).filter((encoding) => allowed.has(encoding));
}

/** Past this many remembered tags, the memo of {@link vocabularyCategories} starts over. */
const REMEMBERED_CATEGORIES = 200_000;

/**
 * The vocabulary's category of a tag, in any form (the most counted entry of a fold wins), so
 * that `GET /api/tags` gives each dataset tag its category and the app colours chips and the
 * sidebar without downloading the whole vocabulary. The folds are indexed on the first ask
 * (~0.4 s for 140,000 tags), and each tag's answer is remembered: the list is asked for after
 * every change, and folding 50,000 tags each time took ~0.1 s of the event loop.
 */
function vocabularyCategories(
  entries: RouteContext['vocabulary'],
): (tag: string) => number | undefined {
  let byFold: Map<string, number> | null = null;
  const byTag = new Map<string, number | null>();
  return (tag) => {
    let known = byTag.get(tag);
    if (known === undefined) {
      if (byFold === null) {
        byFold = new Map();
        const byCount = [...entries].sort((left, right) => left.count - right.count);
        for (const entry of byCount) byFold.set(foldTag(entry.tag), entry.category);
      }
      known = byFold.get(foldTag(tag)) ?? null;
      if (byTag.size >= REMEMBERED_CATEGORIES) byTag.clear();
      byTag.set(tag, known);
    }
    return known ?? undefined;
  };
}

/**
 * The vocabulary's JSON, and its brotli and gzip forms compressed once, off the event loop (a
 * 140,000-tag vocabulary is ~9 MB of JSON and ~1 MB compressed). The first request waits for
 * the compression it asks for; the server starts serving without waiting for it.
 */
function prepareVocabulary(entries: RouteContext['vocabulary']) {
  const body = Buffer.from(JSON.stringify({ entries }));
  const tag = createHash('sha256').update(body).digest('hex').slice(0, 32);
  const size = { [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length };
  const encoded: Record<VocabularyEncoding, Promise<Buffer>> = {
    br: promisify(brotliCompress)(body, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, ...size },
    }),
    gzip: promisify(gzip)(body, { level: 6 }),
  };
  // A failed compression is answered uncompressed (below), not left unhandled.
  for (const pending of Object.values(encoded)) pending.catch(() => {});
  return {
    body,
    /** An entity tag per representation: the encoded bodies are different bytes. */
    tags: { identity: `"${tag}"`, br: `"${tag}-br"`, gzip: `"${tag}-gzip"` },
    encoded,
  };
}

/**
 * The read-only JSON routes: health, dataset, images, tags, near-duplicates, changes, check,
 * vocabulary.
 */
export async function registerReadRoutes(
  app: FastifyInstance,
  context: RouteContext,
): Promise<void> {
  const { dataset } = context;

  app.get(
    '/api/health',
    async (): Promise<HealthResponse> => ({
      ok: true,
      version: context.serverVersion,
      captionsPending: dataset.captionProgress().pending,
      tagger: context.autoTag.hasTagger,
      store: dataset.sharedStore ? 'postgres' : 'file',
      captionWriter: dataset.writesCaptions,
      ...(dataset.captionsRevision === undefined
        ? {}
        : { captionsRevision: dataset.captionsRevision }),
    }),
  );

  app.get(
    '/api/dataset',
    async (): Promise<DatasetResponse> => ({
      id: dataset.id,
      settings: dataset.settings,
      revision: dataset.revision,
      imageCount: dataset.imageCount,
      canUndo: dataset.canUndo(),
      canRedo: dataset.canRedo(),
    }),
  );

  const cursorAt = offsetCursors(context);
  app.get('/api/images', async (request) => {
    const { offset, ...query } = parseOrThrow(ImagesQuerySchema, request.query, 'image query');
    if (offset === undefined) return dataset.query(query);
    if (query.cursor !== undefined) {
      throw new CivtagError(
        ErrorCode.VALIDATION,
        'Give either "cursor" (to go on from a page) or "offset" (to start at a position), not both.',
        { details: { field: 'offset' } },
      );
    }
    return dataset.query({ ...query, cursor: cursorAt(query.q?.trim() ?? '', offset) });
  });

  app.get('/api/images/:id', async (request) =>
    findImage(context, (request.params as { id: unknown }).id),
  );

  const categoryOf = vocabularyCategories(context.vocabulary);
  app.get('/api/tags', async (request): Promise<TagsResponse> => {
    const { q } = parseOrThrow(TagsQuerySchema, request.query, 'tag query');
    const counted = dataset.tagStats();
    const tags =
      context.vocabulary.length === 0
        ? counted
        : counted.map((entry) => {
            const category = categoryOf(entry.tag);
            return category === undefined ? entry : { ...entry, category };
          });
    if (q === undefined || q.trim() === '') return { revision: dataset.revision, tags };
    return { revision: dataset.revision, tags, matching: dataset.tagStatsMatching(q) };
  });

  app.get(
    '/api/near-duplicates',
    async (): Promise<NearDuplicatesResponse> => ({
      revision: dataset.revision,
      groups: dataset.nearDuplicateGroups(),
      pending: dataset.pendingPerceptualHashes,
    }),
  );

  app.get('/api/changes', async (request): Promise<ChangesResponse> => {
    const since = parseRevision((request.query as { since?: unknown }).since);
    const revision = dataset.revision;
    const missed = since > revision ? ({ reload: true } as const) : dataset.changesSince(since);
    return missed.reload
      ? { revision, reload: true, changes: [] }
      : { revision, reload: false, changes: missed.changes };
  });

  app.get('/api/check', async () => dataset.check());

  // The vocabulary can be large and never changes while the server runs: it is sent compressed
  // when the client accepts it, with an ETag, so a browser downloads it once.
  const vocabulary = prepareVocabulary(context.vocabulary);
  app.get('/api/vocabulary', async (request, reply) => {
    reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding');
    reply.type('application/json; charset=utf-8');
    const known = String(request.headers['if-none-match'] ?? '');
    for (const encoding of acceptedEncodings(request.headers['accept-encoding'])) {
      const body = await vocabulary.encoded[encoding].catch(() => null);
      if (body === null) continue;
      reply.header('etag', vocabulary.tags[encoding]);
      if (known.includes(vocabulary.tags[encoding])) return reply.code(304).send();
      return reply.header('content-encoding', encoding).send(body);
    }
    reply.header('etag', vocabulary.tags.identity);
    if (known.includes(vocabulary.tags.identity)) return reply.code(304).send();
    return reply.send(vocabulary.body);
  });
}
