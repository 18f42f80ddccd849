import fc from 'fast-check';
import { hostileValue, jsonMutation, mutateJson } from './fuzz-mutations.js';
import { validOp } from './fuzz-ops.js';

/** A route as Fastify lists it: `GET /api/images/:id`. */
export interface Route {
  method: string;
  path: string;
}

/**
 * The routes of a Fastify instance, read from `printRoutes({ commonPrefix: false })` (a tree
 * whose lines nest by four columns; a parent's path prefixes its children's).
 */
export function listRoutes(printed: string): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    parents.length = depth;
    const joined = `${parents.join('')}${match[2]}`;
    const path = joined.startsWith('/') ? joined : `/${joined}`;
    parents.push(match[2] ?? '');
    for (const method of (match[3] ?? '').split(', ').filter(Boolean))
      routes.push({ method, path });
  }
  return routes;
}

/** What the fuzzer knows of the dataset it sends requests to. */
export interface FuzzTarget {
  imageIds: readonly string[];
  /** Folders inside the import root (empty ones: an accepted import adds nothing). */
  importSources: readonly string[];
}

/** A well-formed request to one route, before it is broken. */
interface RequestShape {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

const noRequest = fc.constant<RequestShape>({});
const optionalString = (values: string[]) =>
  fc.option(fc.constantFrom(...values), { nil: undefined });
const withoutUndefined = (record: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;

/**
 * A valid request for each route the server has, by `METHOD path`. A route missing here fails
 * the fuzz test, so that a new route is fuzzed from the day it is added.
 */
export function knownRoutes(target: FuzzTarget): Record<string, fc.Arbitrary<RequestShape>> {
  const imageId = fc.constantFrom(...target.imageIds);
  const clientId = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/);
  const history = fc.oneof(
    fc.constant<RequestShape>({}),
    fc.record({ body: fc.record({ clientId, opId: clientId }, { requiredKeys: [] }) }),
  );
  const byImage = fc.record({ params: fc.record({ id: imageId }) });
  const routes: Record<string, fc.Arbitrary<RequestShape>> = {
    'GET /api/health': noRequest,
    'GET /api/dataset': noRequest,
    'GET /api/images': fc.record({
      query: fc
        .record({
          cursor: optionalString(['0', '1', '2', '999999999999']),
          offset: optionalString(['0', '1', '5']),
          limit: optionalString(['1', '2', '5000']),
          q: optionalString(['', 'solo', 'NOT solo', 'tags<3', '(1girl OR "blue eyes")']),
        })
        .map(withoutUndefined),
    }),
    'GET /api/images/:id': byImage,
    'GET /api/images/:id/thumb': byImage,
    'GET /api/images/:id/file': byImage,
    'GET /api/import-roots': noRequest,
    'POST /api/imports': fc.record({
      body: fc.record(
        {
          source: fc.constantFrom(...target.importSources),
          options: fc.record({ recursive: fc.boolean(), tagsFromMetadata: fc.boolean() }),
        },
        { requiredKeys: ['source'] },
      ),
    }),
    'GET /api/imports/:jobId': fc.record({ params: fc.record({ jobId: fc.uuid() }) }),
    'GET /api/tags': fc.record({
      query: fc.record({ q: optionalString(['solo', 'untagged']) }).map(withoutUndefined),
    }),
    'GET /api/near-duplicates': noRequest,
    'GET /api/changes': fc.record({ query: fc.record({ since: fc.constantFrom('0', '1', '3') }) }),
    'GET /api/check': noRequest,
    'GET /api/vocabulary': fc.record({
      headers: fc.record(
        { 'accept-encoding': fc.constantFrom('br', 'gzip', 'br;q=0, gzip', 'identity') },
        { requiredKeys: [] },
      ),
    }),
    'POST /api/ops': fc.record({
      body: fc.record(
        { op: validOp(target.imageIds), clientId, opId: clientId },
        {
          requiredKeys: ['op'],
        },
      ),
    }),
    'POST /api/undo': history,
    'POST /api/redo': history,
    'GET /api/autotag': noRequest,
    'POST /api/autotag': fc.record({
      body: fc.record({ mode: fc.constantFrom('propose', 'fill-empty') }, { requiredKeys: [] }),
    }),
    'DELETE /api/autotag/:jobId': fc.record({ params: fc.record({ jobId: fc.uuid() }) }),
    'GET /api/export': fc.record({
      query: fc
        .record({
          format: optionalString(['zip', 'kohya']),
          repeats: optionalString(['1', '10']),
          escapeParentheses: optionalString(['true', 'false']),
          underscoresToSpaces: optionalString(['true', 'false']),
        })
        .map(withoutUndefined),
    }),
    'GET /*': fc.record({
      params: fc.record({ '*': fc.constantFrom('', 'index.html', 'assets/app.js', 'settings') }),
    }),
  };
  // Fastify answers HEAD for every GET route.
  for (const [key, shape] of Object.entries(routes)) {
    if (key.startsWith('GET ')) routes[`HEAD ${key.slice(4)}`] = shape;
  }
  return routes;
}

/** A request as it goes on the wire. */
export interface WireRequest {
  method: string;
  /** The request target, already encoded (it may hold raw bytes 0x80–0xFF, as latin1). */
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Send the body in two chunks without a length. */
  chunked: boolean;
  /** What this case is, in words, for a failure message. */
  describe: string;
}

/** `arbitrary` in one case of `oneIn` (on average), else `null`. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> {
  return fc.oneof(
    { weight: Math.round((oneIn - 1) * 2), arbitrary: fc.constant(null) },
    { weight: 2, arbitrary },
  );
}

/** Characters a request line may carry raw; others are percent-encoded. */
function encodeRaw(text: string): string {
  return [...text]
    .map((character) =>
      /^[\u0021-\u00ff]$/.test(character) && !'#?&'.includes(character)
        ? character
        : encodeURIComponent(character),
    )
    .join('');
}

const hostileSegment = fc.oneof(
  fc.constantFrom('..', '%2e%2e', '..%2f..%2f', '%00', '%ff', '%', '%zz', '~', '.', '%2F'),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ maxLength: 30, unit: 'binary' }).map(encodeRaw),
  fc.integer({ min: 100, max: 9000 }).map((length) => 'a'.repeat(length)),
);

const hostileQueryText = fc.oneof(
  fc.constantFrom('&&', '=', '==', 'a', 'a=1&a=2', '%', '%zz', '__proto__[x]=1', 'q[]=1&q[]=2'),
  fc.string({ maxLength: 60, unit: 'binary' }).map(encodeRaw),
);

const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,24}$/)
  .filter(
    (name) =>
      !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade'].includes(
        name,
      ),
  );
const headerValue = fc
  .string({ maxLength: 80, unit: 'binary' })
  .map((value) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));
const knownHeader = fc.constantFrom(
  'accept-encoding',
  'if-none-match',
  'cookie',
  'authorization',
  'origin',
  'content-encoding',
  'accept',
  'range',
  'x-forwarded-for',
  'sec-fetch-site',
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=x-nope',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/JSON',
  '*/*',
  '',
);

function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)|\*/g, (whole, name: string | undefined) =>
    encodeURIComponent(params[name ?? whole] ?? 'x').replace(/%2F/g, '/'),
  );
}

/**
 * A request to `route`: usually its valid shape with one or more parts broken (a path
 * parameter, the query, the body, the content type, the headers, the method), sometimes intact.
 */
export function wireRequest(
  routes: readonly Route[],
  known: Record<string, fc.Arbitrary<RequestShape>>,
  accessHeaders: fc.Arbitrary<Record<string, string>>,
): fc.Arbitrary<WireRequest> {
  // Routes that change state are where a refusal must change nothing: they get more cases.
  const weighted = routes.flatMap((route) =>
    route.method === 'GET' || route.method === 'HEAD' ? [route] : [route, route, route, route],
  );
  return fc
    .constantFrom(...weighted)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        shape: known[`${route.method} ${route.path}`] ?? noRequest,
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(route.method) },
          fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'),
        ),
        brokenParam: sometimes(hostileSegment, 3),
        queryChange: sometimes(
          fc.oneof(
            fc.record({ key: fc.string({ maxLength: 12 }), value: hostileValue }),
            fc.record({ raw: hostileQueryText }),
          ),
          3,
        ),
        bodyMutation: sometimes(jsonMutation, 3 / 2),
        rawBody: sometimes(fc.uint8Array({ maxLength: 300 }), 12),
        type: sometimes(contentType, 6),
        extraHeaders: fc.dictionary(fc.oneof(knownHeader, headerName), headerValue, {
          maxKeys: 3,
        }),
        access: accessHeaders,
        chunked: fc.boolean(),
      }),
    )
    .map((drawn) => {
      const { route, shape } = drawn;
      const parameter = /:(\w+)|\*/;
      let path =
        drawn.brokenParam !== null && parameter.test(route.path)
          ? route.path.replace(parameter, () => drawn.brokenParam as string)
          : fillPath(route.path, shape.params ?? {});
      const query = new URLSearchParams(shape.query);
      let queryText = query.toString();
      if (drawn.queryChange !== null) {
        if ('raw' in drawn.queryChange) queryText = `${queryText}&${drawn.queryChange.raw}`;
        else {
          const value = drawn.queryChange.value;
          query.set(
            drawn.queryChange.key,
            typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
          );
          queryText = query.toString();
        }
      }
      if (queryText !== '') path = `${path}?${queryText}`;
      let body: Buffer | undefined;
      if (drawn.rawBody !== null) body = Buffer.from(drawn.rawBody);
      else if (shape.body !== undefined || drawn.bodyMutation !== null) {
        const text = mutateJson(shape.body ?? {}, drawn.bodyMutation ?? { kind: 'none' });
        body = Buffer.from(text, 'utf8');
      }
      const headers: Record<string, string> = {
        ...drawn.extraHeaders,
        ...shape.headers,
        ...drawn.access,
      };
      if (body !== undefined) headers['content-type'] = drawn.type ?? 'application/json';
      else if (drawn.type !== null) headers['content-type'] = drawn.type;
      return {
        method: drawn.method,
        path,
        headers,
        body,
        chunked: drawn.chunked && body !== undefined && body.length > 1,
        describe: `${drawn.method} ${path.slice(0, 300)} (route ${route.method} ${route.path}), headers ${JSON.stringify(headers).slice(0, 300)}, body ${body === undefined ? 'none' : JSON.stringify(body.toString('latin1').slice(0, 300))}`,
      };
    });
}
