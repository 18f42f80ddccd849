// Real `ws` clients speaking civtag's socket protocol (DESIGN §4): a crowd that only listens, and
// one sender that sends ops one after another and times each until its ack and until every
// listener has the change.
import WebSocket from 'ws';
import { percentiles } from './statistics.mjs';

const CONNECT_BATCH = 50;
const OP_TIMEOUT_MS = 5000;

/** Opens one client, says hello, and resolves once it is welcomed; every frame goes to `onFrame`. */
export function openClient(url, headers, clientId, onFrame) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`${clientId}: no welcome within 10 s`));
    }, 10_000);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('open', () =>
      socket.send(JSON.stringify({ v: 1, type: 'hello', data: { clientId } })),
    );
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString());
      if (frame.type === 'welcome') {
        clearTimeout(timer);
        resolve(socket);
      }
      onFrame(frame);
    });
  });
}

/** Closes `sockets`, terminating any that has not closed within 2 s. */
export function closeAll(sockets) {
  return Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', resolve);
          socket.close(1000);
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 2000).unref();
        }),
    ),
  );
}

/**
 * Times ops from their send until their ack and until `listenerCount` listeners have their
 * change. Give listeners `onListenerFrame` and senders `onSenderFrame`; `sendOp(sender, op)`
 * resolves `{ ackMs, allMs }` (allMs: until the last listener has the change) or rejects on a
 * reject frame or after `timeoutMs`.
 */
export function trackOps({ listenerCount, label, timeoutMs = OP_TIMEOUT_MS }) {
  const pending = new Map();
  const onListenerFrame = (frame) => {
    if (frame.type !== 'change' && frame.type !== 'reload') return;
    const waiting = pending.get(frame.data.opId);
    if (!waiting) return;
    waiting.remaining--;
    waiting.settleIfDone();
  };
  const onSenderFrame = (frame) => {
    const waiting = pending.get(frame.id);
    if (!waiting) return;
    if (frame.type === 'ack') {
      waiting.ackMs = performance.now() - waiting.sentAt;
      waiting.settleIfDone();
    } else if (frame.type === 'reject') {
      waiting.fail(new Error(`op rejected: ${frame.data.code} ${frame.data.message}`));
    }
  };
  let sequence = 0;
  const sendOp = (sender, op) =>
    new Promise((resolve, reject) => {
      const opId = `${label}-op-${++sequence}`;
      const timer = setTimeout(
        () => waiting.fail(new Error(`no ack and broadcast within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const waiting = {
        sentAt: performance.now(),
        remaining: listenerCount,
        ackMs: null,
        settleIfDone() {
          if (this.remaining === 0 && this.allMs === undefined)
            this.allMs = performance.now() - this.sentAt;
          if (this.ackMs === null || this.allMs === undefined) return;
          clearTimeout(timer);
          pending.delete(opId);
          resolve({ ackMs: this.ackMs, allMs: this.allMs });
        },
        fail(error) {
          clearTimeout(timer);
          pending.delete(opId);
          reject(error);
        },
      };
      pending.set(opId, waiting);
      sender.send(JSON.stringify({ v: 1, type: 'op', id: opId, data: { op } }));
    });
  return { onListenerFrame, onSenderFrame, sendOp };
}

/**
 * Opens `count` listening clients spread evenly over the socket `urls`, `CONNECT_BATCH` at a
 * time; every frame goes to `onFrame`. Pushes each into `into` as it opens (for the caller to
 * close, even when a later one fails) and resolves with it.
 */
export async function openListeners(urls, { headers = {}, count, label, onFrame, into = [] }) {
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = [];
    for (let index = start; index < Math.min(count, start + CONNECT_BATCH); index++) {
      const url = urls[index % urls.length];
      batch.push(openClient(url, headers, `${label}-listener-${index}`, onFrame));
    }
    into.push(...(await Promise.all(batch)));
  }
  return into;
}

/**
 * Connects `count` listening clients and one sender to the socket at `url`.
 * Returns `{ sendOp(op), close() }`; `sendOp` resolves `{ ackMs, allMs }` (allMs: until the last
 * listener has the change) or rejects on a reject frame or after 5 s.
 */
export async function connectCrowd(url, { headers = {}, count, label }) {
  const ops = trackOps({ listenerCount: count, label });
  const listeners = await openListeners([url], {
    headers,
    count,
    label,
    onFrame: ops.onListenerFrame,
  });
  const sender = await openClient(url, headers, `${label}-sender`, ops.onSenderFrame);
  const sendOp = (op) => ops.sendOp(sender, op);
  const close = () => closeAll([sender, ...listeners]);
  return { sendOp, close };
}

/** Ops sent before the measured ones, so that JIT and first-use costs stay out of the samples. */
export const WARM_UP_OPS = 10;

/**
 * Sends `ops` ops (from `nextOp()`) one after another through `crowd`, after the warm-up ones;
 * returns the p50/p99 of the ack and of every-client latency, and how many ops failed.
 */
export async function measureOps(crowd, ops, nextOp) {
  const ack = [];
  const everyone = [];
  let failures = 0;
  for (let index = 0; index < WARM_UP_OPS + ops; index++) {
    try {
      const { ackMs, allMs } = await crowd.sendOp(nextOp());
      if (index >= WARM_UP_OPS) {
        ack.push(ackMs);
        everyone.push(allMs);
      }
    } catch {
      failures++;
    }
  }
  return { ack: percentiles(ack), everyone: percentiles(everyone), failures };
}
