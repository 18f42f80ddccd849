// The baseline for one op: a bare `ws` hub that, for each op, appends a journal line and fsyncs
// it, acknowledges, and broadcasts a change frame of civtag's size to every client. No validation,
// no state, no captions: the socket and the disk, nothing else.
// Usage: node bare-broadcast-hub.mjs <journal file>; prints {"port":N} once listening.
import { fdatasyncSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const journal = openSync(process.argv[2], 'a');
const sampleTags = Array.from({ length: 26 }, (_, index) => `sample tag number ${index}`);
let revision = 0;

const server = createServer();
const hub = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
hub.on('connection', (socket) => {
  let clientId;
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString());
    if (frame.type === 'hello') {
      clientId = frame.data.clientId;
      socket.send(
        JSON.stringify({
          v: 1,
          type: 'welcome',
          data: { protocol: 1, serverVersion: 'bare', datasetId: 'bare', revision },
        }),
      );
      return;
    }
    if (frame.type !== 'op') return;
    revision++;
    writeSync(
      journal,
      `${JSON.stringify({ revision, clientId, opId: frame.id, op: frame.data.op })}\n`,
    );
    fdatasyncSync(journal);
    socket.send(JSON.stringify({ v: 1, type: 'ack', id: frame.id, data: { revision } }));
    const imageId = frame.data.op.target?.ids?.[0] ?? 'image';
    const change = JSON.stringify({
      v: 1,
      type: 'change',
      data: {
        revision,
        clientId,
        opId: frame.id,
        changes: [{ imageId, tags: sampleTags, rev: revision }],
      },
    });
    for (const client of hub.clients) client.send(change);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  for (const client of hub.clients) client.terminate();
  server.close(() => process.exit(0));
});
