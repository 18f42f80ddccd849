// The floor of serving a dataset: a bare `node:http` process that reads and parses the dataset's
// snapshot file, then answers `GET /api/images` with its first `limit` image records (100 by
// default), the way civtag's first page looks. Nothing is checked, reconciled or indexed.
// Usage: node snapshot-server.mjs <snapshot file>; prints {"port":N} once listening.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const snapshot = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const records = snapshot.state?.images ?? snapshot.images ?? {};
const images = Array.isArray(records) ? records : Object.values(records);

const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (request.method !== 'GET' || url.pathname !== '/api/images') {
    response.writeHead(404).end();
    return;
  }
  const limit = Math.min(5000, Number(url.searchParams.get('limit') ?? 100));
  const body = JSON.stringify({ images: images.slice(0, limit), nextCursor: String(limit) });
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
