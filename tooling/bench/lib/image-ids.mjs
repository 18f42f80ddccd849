// Lists a served dataset's image ids through the HTTP API, page by page.

/** Every image id of the dataset served at `url`, in the server's order (bounded to `limit`). */
export async function listImageIds(url, headers, limit = Number.POSITIVE_INFINITY) {
  const ids = [];
  let cursor = null;
  for (let page = 0; page < 1000 && ids.length < limit; page++) {
    const query = new URLSearchParams({ limit: '5000' });
    if (cursor) query.set('cursor', cursor);
    const response = await fetch(`${url}/api/images?${query}`, { headers });
    if (!response.ok)
      throw new Error(
        `GET /api/images answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
      );
    const body = await response.json();
    ids.push(...body.images.map((image) => image.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return ids.slice(0, limit);
}
