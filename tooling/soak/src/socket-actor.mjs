// A person tagging in a browser tab: a `@civtag/ws-client` client sending small ops, a few at a
// time without waiting for each answer, through the server's kills and (for some) the chaos
// proxy. Every op goes through the ledger.
import { createClient } from '@civtag/ws-client';
import { WebSocket } from 'ws';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs until `stop()`; `drain()` then waits until every op it sent is answered. `url` is the
 * server's socket or the proxy's. `meanGapMs` is the mean pause between ops.
 */
export function startSocketActor({ name, url, ledger, maker, random, meanGapMs, counts }) {
  const client = createClient({
    url,
    WebSocket,
    clientId: name,
    backoff: { initialMs: 100, maxMs: 2000 },
    connectTimeoutMs: 5000,
    // Short, so a stalled connection is given up and another made while the first still
    // carries ops: the server must apply each of them once, in order.
    heartbeat: { intervalMs: 2000, timeoutMs: 2500 },
  });
  let opened = 0;
  client.on('status', ({ status }) => {
    if (status === 'open') {
      opened += 1;
      if (opened > 1) counts.reconnects += 1;
    }
  });
  client.on('error', (error) => {
    counts.clientErrors[error.code] = (counts.clientErrors[error.code] ?? 0) + 1;
  });
  client.on('reload', () => {
    counts.reloads += 1;
  });
  let running = true;
  const inFlight = new Set();
  const window = random.integer(1, 4);

  function send(made) {
    const entry = ledger.sent({
      clientId: name,
      kind: made.kind,
      verifiable: made.verifiable,
      channel: 'socket',
      request: { path: '/api/ops', body: { op: made.op } },
    });
    const answered = client.send(made.op, { opId: entry.opId }).then(
      ({ revision }) => ledger.acked(entry, revision),
      (error) => ledger.refused(entry, error.code ?? 'UNKNOWN', error.message),
    );
    inFlight.add(answered);
    void answered.then(() => inFlight.delete(answered));
  }

  const loop = (async () => {
    while (running) {
      while (inFlight.size >= window && running) await Promise.race(inFlight);
      if (!running) break;
      send(maker.small());
      await sleep(random.between(0, 2 * meanGapMs));
    }
  })();

  return {
    client,
    /** Sends one more op now (the bulk actor uses this road too). */
    send,
    stop() {
      running = false;
      return loop;
    },
    async drain() {
      await loop;
      while (inFlight.size > 0) await Promise.race(inFlight);
    },
    close() {
      client.close();
    },
  };
}
