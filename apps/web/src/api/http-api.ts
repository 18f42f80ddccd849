import {
  type AutoTagProgress,
  AutoTagProgressSchema,
  type AutoTagRequest,
  type AutoTagStatus,
  AutoTagStatusSchema,
  type CheckReport,
  CheckReportSchema,
  CivtagError,
  type DatasetResponse,
  DatasetResponseSchema,
  ErrorBodySchema,
  ErrorCode,
  type ImagesPage,
  type ImportProgress,
  ImportProgressSchema,
  type ImportRootsResponse,
  ImportRootsResponseSchema,
  type ImportStarted,
  ImportStartedSchema,
  type NearDuplicatesResponse,
  NearDuplicatesResponseSchema,
  type OpResponse,
  OpResponseSchema,
  parseOrThrow,
  type TagsResponse,
} from '@civtag/api-models';
import { type ExportRequest, exportPath } from '../model/export-request.js';
import { parseImagesPage } from '../model/images-page.js';
import { TagInterner } from '../model/tag-interner.js';
import { parseTagsResponse } from '../model/tags-response.js';

/** Reads the server's JSON error body into a `CivtagError` with the server's code. */
async function errorFromResponse(response: Response, what: string): Promise<CivtagError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page, an empty body): the status says enough.
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    const known = (Object.values(ErrorCode) as string[]).includes(code);
    return new CivtagError(known ? (code as ErrorCode) : ErrorCode.INTERNAL, message, {
      ...(details === undefined ? {} : { details }),
    });
  }
  return new CivtagError(
    response.status === 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.INTERNAL,
    `${what} failed with HTTP ${response.status}. Reload the page; if it persists, check the server.`,
  );
}

async function requestJson<T>(
  path: string,
  schema: Parameters<typeof parseOrThrow>[0],
  init: RequestInit & { what: string },
): Promise<T> {
  return parseOrThrow(schema, await fetchJson(path, init), `${init.what} answer`) as T;
}

/** The JSON body of a successful answer, not checked yet. */
async function fetchJson(path: string, init: RequestInit & { what: string }): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (cause) {
    throw new CivtagError(
      ErrorCode.IO_ERROR,
      `${init.what}: the server cannot be reached. Is civtag still running?`,
      { cause },
    );
  }
  if (!response.ok) throw await errorFromResponse(response, init.what);
  return response.json();
}

/** One string per distinct tag across the pages this tab loads. */
const pageTags = new TagInterner();

function getJson<T>(path: string, schema: Parameters<typeof parseOrThrow>[0], what: string) {
  return requestJson<T>(path, schema, { what, headers: { accept: 'application/json' } });
}

function postJson<T>(
  path: string,
  body: unknown,
  options: { schema: Parameters<typeof parseOrThrow>[0]; what: string },
) {
  return requestJson<T>(path, options.schema, {
    what: options.what,
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
}

/**
 * The server's HTTP API (DESIGN.md §4), each answer checked with its `api-models` schema.
 * Every call throws a `CivtagError`: the server's own code, `IO_ERROR` when it cannot be
 * reached, `VALIDATION` when an answer does not have the expected shape.
 */
export const httpApi = {
  dataset: () =>
    getJson<DatasetResponse>('/api/dataset', DatasetResponseSchema, 'Loading the dataset'),
  /** One page of images by position among those matching `q`; `signal` aborts the request. */
  async images(request: {
    offset: number;
    limit: number;
    q?: string;
    signal?: AbortSignal;
  }): Promise<ImagesPage> {
    const search = new URLSearchParams({
      offset: String(request.offset),
      limit: String(request.limit),
    });
    if (request.q !== undefined && request.q !== '') search.set('q', request.q);
    const body = await fetchJson(`/api/images?${search}`, {
      what: 'Loading images',
      headers: { accept: 'application/json' },
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    // Checked a slice of records at a time: a page may arrive while the grid scrolls.
    return parseImagesPage(body, {
      what: 'Loading images answer',
      tags: pageTags,
      signal: request.signal,
    });
  },
  /** Every tag's count; with a filter `q`, also the counts among the images it matches. */
  async tags(q = ''): Promise<TagsResponse> {
    const body = await fetchJson(q === '' ? '/api/tags' : `/api/tags?q=${encodeURIComponent(q)}`, {
      what: 'Loading the tag list',
      headers: { accept: 'application/json' },
    });
    // Checked a slice of tags at a time: the list of a large dataset comes as the grid draws.
    return parseTagsResponse(body, { what: 'Loading the tag list answer' });
  },
  /** The groups of images that look alike, and how many images still wait for their hash. */
  nearDuplicates: () =>
    getJson<NearDuplicatesResponse>(
      '/api/near-duplicates',
      NearDuplicatesResponseSchema,
      'Loading the near-duplicates',
    ),
  /** The vocabulary CSV entries the server was started with (raw, validated by `tags`). */
  async vocabulary(): Promise<unknown[]> {
    const response = await fetch('/api/vocabulary', { credentials: 'same-origin' });
    if (!response.ok) throw await errorFromResponse(response, 'Loading the vocabulary');
    const body = (await response.json()) as { entries?: unknown };
    return Array.isArray(body.entries) ? body.entries : [];
  },
  undo: () => postJson<OpResponse>('/api/undo', {}, { schema: OpResponseSchema, what: 'Undo' }),
  redo: () => postJson<OpResponse>('/api/redo', {}, { schema: OpResponseSchema, what: 'Redo' }),
  importRoots: () =>
    getJson<ImportRootsResponse>(
      '/api/import-roots',
      ImportRootsResponseSchema,
      'Listing import folders',
    ),
  startImport: (source: string, options: { recursive?: boolean; tagsFromMetadata?: boolean }) =>
    postJson<ImportStarted>(
      '/api/imports',
      { source, options },
      { schema: ImportStartedSchema, what: 'Starting the import' },
    ),
  importProgress: (jobId: string) =>
    getJson<ImportProgress>(
      `/api/imports/${encodeURIComponent(jobId)}`,
      ImportProgressSchema,
      'Reading import progress',
    ),
  /** Whether the server has a tagger, and the tagging job running now or the last one. */
  autoTagStatus: () =>
    getJson<AutoTagStatus>('/api/autotag', AutoTagStatusSchema, 'Reading the tagging job'),
  /** Starts a tagging job: `CONFLICT` while one runs, `NOT_FOUND` without a tagger. */
  startAutoTag: (request: AutoTagRequest) =>
    postJson<AutoTagProgress>('/api/autotag', request, {
      schema: AutoTagProgressSchema,
      what: 'Starting the tagging job',
    }),
  cancelAutoTag: (jobId: string) =>
    requestJson<AutoTagProgress>(
      `/api/autotag/${encodeURIComponent(jobId)}`,
      AutoTagProgressSchema,
      {
        what: 'Cancelling the tagging job',
        method: 'DELETE',
        headers: { accept: 'application/json' },
      },
    ),
  check: () => getJson<CheckReport>('/api/check', CheckReportSchema, 'Checking the dataset'),
  /** The address of an export download (`GET /api/export`), for a link. */
  exportUrl: (request: ExportRequest) => exportPath(request),
  thumbUrl: (id: string, hash: string) =>
    `/api/images/${encodeURIComponent(id)}/thumb?v=${hash.slice(0, 12)}`,
  fileUrl: (id: string, hash: string) =>
    `/api/images/${encodeURIComponent(id)}/file?v=${hash.slice(0, 12)}`,
};
