import { CivtagError, createClient } from '@civtag/ws-client';

interface ImagesPage {
  revision: number;
  images: { id: string; tags: string[] }[];
  nextCursor: string | null;
}

/**
 * A small tag editor for the civtag server at `baseUrl` (in a page: `location.origin`).
 * It loads the images over HTTP, keeps them current from the socket, and edits tags.
 */
export async function openTagEditor(options: {
  baseUrl: string;
  token: string;
  render: (tags: ReadonlyMap<string, string[]>, status: string) => void;
}) {
  const { baseUrl, token, render } = options;
  const tags = new Map<string, string[]>();
  let status = 'connecting';

  // Bulk data comes over HTTP; returns the revision it is current at.
  async function loadImages(): Promise<number> {
    const headers = { authorization: `Bearer ${token}` };
    let cursor: string | null = null;
    let revision = 0;
    tags.clear();
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const response = await fetch(`${baseUrl}/api/images?limit=5000${query}`, { headers });
      const page = (await response.json()) as ImagesPage;
      for (const image of page.images) tags.set(image.id, image.tags);
      ({ revision, nextCursor: cursor } = page);
    } while (cursor !== null);
    render(tags, status);
    return revision;
  }

  const client = createClient({
    // Called before every attempt: fetch a fresh token here if yours expire.
    url: () => `${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`,
    // The server replays every change after this revision, so nothing falls in between.
    since: await loadImages(),
  });
  client.on('change', (change) => {
    for (const image of change.changes) tags.set(image.imageId, image.tags);
    render(tags, status);
  });
  client.on('reload', () => void loadImages());
  client.on('status', (event) => {
    status = event.queued > 0 ? `${event.status} (${event.queued} edits waiting)` : event.status;
    render(tags, status);
  });

  return {
    client,
    /** Resolves once the server has saved the edit; works offline too (sent on reconnect). */
    async addTag(imageId: string, tag: string): Promise<number> {
      try {
        const { revision } = await client.send({
          type: 'add',
          target: { ids: [imageId] },
          tags: [tag],
        });
        return revision;
      } catch (error) {
        if (CivtagError.isInstance(error) && error.code === 'QUEUE_FULL') {
          render(tags, 'offline for too long: edits are not being kept');
        }
        throw error;
      }
    },
  };
}
