// One HTTP request to the server, as JSON, that never throws: the soak's actors meet a server
// that is killed under them and must tell "refused by the server" from "no server".

/**
 * `{ ok, status, body }` for an answer (any status), or `{ ok: false, status: 0, error }` when
 * no answer came (connection refused or reset, timeout).
 */
export async function requestJson(url, { method = 'GET', body, timeoutMs = 15_000 } = {}) {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { ok: response.ok, status: response.status, body: parsed, bytes: text.length };
  } catch (error) {
    return { ok: false, status: 0, error: error?.cause?.code ?? error?.name ?? String(error) };
  }
}

/** Every image the server serves, all pages: `{ revision, images }`, or `undefined` without a server. */
export async function fetchAllImages(base) {
  const images = [];
  let cursor = null;
  let revision = 0;
  do {
    const query = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const answer = await requestJson(`${base}/api/images?limit=1000${query}`);
    if (!answer.ok) return undefined;
    images.push(...answer.body.images);
    revision = answer.body.revision;
    cursor = answer.body.nextCursor;
  } while (cursor !== null);
  return { revision, images };
}
