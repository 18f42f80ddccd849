// A TCP proxy in front of the server for some of the socket clients. It misbehaves the way
// Wi-Fi, a laptop lid and a corporate proxy do: it cuts connections (both ends at once, or the
// client's end first while bytes already taken still reach the server), stalls bytes for a
// while, delays one direction, and connects new connections late. A client whose heartbeat
// gives up on a stalled connection reconnects while its old connection still carries ops to
// the server: the order the server sees them in is not the order they were sent.
import net from 'node:net';

/**
 * Listens on a free port and forwards to `127.0.0.1:targetPort`; misbehaves on its own every
 * `chaosEveryMs` (random ± half). Returns `{ port, counts, close() }`.
 */
export async function startChaosProxy({ targetPort, random, chaosEveryMs }) {
  const counts = {
    connections: 0,
    upstreamRefused: 0,
    cuts: 0,
    halfCuts: 0,
    stalls: 0,
    delays: 0,
    lateConnects: 0,
  };
  const links = new Set();

  const server = net.createServer((client) => {
    counts.connections += 1;
    const link = makeLink(client);
    links.add(link);
    client.once('close', () => links.delete(link));
  });

  function makeLink(client) {
    const link = {
      client,
      upstream: undefined,
      // Per direction: paused until a time, extra latency per chunk, bytes held meanwhile.
      toServer: { held: [], pausedUntil: 0, delayMs: 0, timer: undefined },
      toClient: { held: [], pausedUntil: 0, delayMs: 0, timer: undefined },
      closing: false,
    };
    const connectDelay = random.chance(0.2) ? random.integer(50, 1500) : 0;
    if (connectDelay > 0) counts.lateConnects += 1;
    client.on('data', (chunk) => forward(link, link.toServer, chunk, () => link.upstream));
    client.on('error', () => {});
    client.once('close', () => {
      // Bytes the client sent before it went still reach the server, then the server's end closes.
      link.closing = true;
      drainThenEnd(link, link.toServer, () => link.upstream);
    });
    setTimeout(() => {
      if (client.destroyed) return;
      const upstream = net.connect(targetPort, '127.0.0.1');
      link.upstream = upstream;
      upstream.on('error', (error) => {
        if (error.code === 'ECONNREFUSED') counts.upstreamRefused += 1;
      });
      upstream.on('data', (chunk) => forward(link, link.toClient, chunk, () => client));
      upstream.once('close', () => {
        link.closing = true;
        drainThenEnd(link, link.toClient, () => client);
      });
      upstream.once('connect', () => flush(link, link.toServer, () => link.upstream));
    }, connectDelay);
    return link;
  }

  function forward(link, direction, chunk, target) {
    direction.held.push(chunk);
    flush(link, direction, target);
  }

  function flush(link, direction, target) {
    const socket = target();
    if (socket === undefined || socket.connecting) return;
    const now = Date.now();
    if (direction.timer !== undefined) return;
    if (direction.pausedUntil > now || (direction.delayMs > 0 && direction.held.length > 0)) {
      const wait = Math.max(direction.pausedUntil - now, direction.delayMs);
      direction.timer = setTimeout(() => {
        direction.timer = undefined;
        const out = target();
        if (out === undefined || out.destroyed) return;
        // After a delay, what was held goes out in order, at once.
        if (direction.pausedUntil <= Date.now()) {
          for (const held of direction.held.splice(0)) out.write(held);
          if (direction.ending) out.end();
        } else flush(link, direction, target);
      }, wait);
      return;
    }
    if (socket.destroyed) return;
    for (const held of direction.held.splice(0)) socket.write(held);
  }

  function drainThenEnd(link, direction, target) {
    direction.ending = true;
    const socket = target();
    if (socket === undefined) return;
    if (direction.timer === undefined && direction.held.length === 0) socket.end();
    else if (direction.timer === undefined) {
      flush(link, direction, target);
      if (direction.timer === undefined) socket.end();
    }
  }

  function misbehave() {
    const live = [...links].filter((link) => !link.closing);
    if (live.length === 0) return;
    const link = random.pick(live);
    const roll = random.next();
    if (roll < 0.3) {
      counts.cuts += 1;
      link.client.destroy();
      link.upstream?.destroy();
    } else if (roll < 0.45) {
      // The client's end goes; what it sent is still delivered to the server, late.
      counts.halfCuts += 1;
      link.toServer.pausedUntil = Date.now() + random.integer(200, 3000);
      link.client.destroy();
    } else if (roll < 0.75) {
      counts.stalls += 1;
      const until = Date.now() + random.integer(300, 6000);
      link.toServer.pausedUntil = until;
      if (random.chance(0.5)) link.toClient.pausedUntil = until;
    } else {
      counts.delays += 1;
      const direction = random.chance(0.5) ? link.toServer : link.toClient;
      direction.delayMs = random.integer(20, 400);
      setTimeout(
        () => {
          direction.delayMs = 0;
        },
        random.integer(1000, 8000),
      );
    }
  }

  let chaosTimer;
  const scheduleChaos = () => {
    chaosTimer = setTimeout(
      () => {
        misbehave();
        scheduleChaos();
      },
      random.between(chaosEveryMs / 2, (chaosEveryMs * 3) / 2),
    );
  };
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  scheduleChaos();
  return {
    port: server.address().port,
    counts,
    /** Stops misbehaving; connections stay as they are. */
    calm() {
      clearTimeout(chaosTimer);
      for (const link of links) {
        link.toServer.pausedUntil = 0;
        link.toClient.pausedUntil = 0;
        link.toServer.delayMs = 0;
        link.toClient.delayMs = 0;
      }
    },
    async close() {
      clearTimeout(chaosTimer);
      for (const link of links) {
        link.client.destroy();
        link.upstream?.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
