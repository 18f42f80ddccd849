// The floor of serving a dataset: a bare `node:http` process that reads and parses the dataset's
// snapshot file, then answers `GET /api/images` with its first `limit` image records (100 by
// default), the way civtag's first page looks. Nothing is checked, reconciled or indexed, and of
// a snapshot with images as columns only the records of the page are built.
// Usage: node snapshot-server.mjs <snapshot file>; prints {"port":N} once listening.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const snapshot = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const table = snapshot.state?.imageTable;
const records = snapshot.state?.images ?? snapshot.images ?? {};
const images = table === undefined ? Object.values(records) : firstRecords(table, 5000);

/**
 * The first `limit` image records of a snapshot that stores images as columns (state version
 * 3): only the records a page shows are built, nothing else is decoded.
 */
function firstRecords(table, limit) {
  const unpack = ({ width, base64 }) => {
    const bytes = Buffer.from(base64, 'base64');
    const Type = width === 1 ? Uint8Array : width === 2 ? Uint16Array : Uint32Array;
    return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  };
  const counts = unpack(table.tagCounts);
  const tags = unpack(table.tags);
  const out = [];
  let next = 0;
  for (let position = 0; position < Math.min(limit, table.count); position += 1) {
    const record = {};
    for (const field of table.fields) {
      if (field === 'tags') {
        record.tags = Array.from(
          tags.subarray(next, next + counts[position]),
          (index) => table.tagTable[index],
        );
        next += counts[position];
      } else if (table.columns[field][position] !== null) {
        record[field] = table.columns[field][position];
      }
    }
    out.push(record);
  }
  return out;
}

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
