// The baseline for thumbnail serving: a bare `node:http` handler sending the same bytes from
// memory with the same kind of headers, in its own process like the civtag server.
// Usage: node bare-thumbnail-server.mjs <file>; prints {"port":N} once listening.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const bytes = readFileSync(process.argv[2]);
const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;

const server = createServer((request, response) => {
  if (request.method !== 'GET' || !request.url.endsWith('/thumb')) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'image/webp',
    'content-length': bytes.length,
    etag,
    'cache-control': 'private, max-age=31536000, immutable',
  });
  response.end(bytes);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
