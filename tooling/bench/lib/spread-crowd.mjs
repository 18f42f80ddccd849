// Socket clients spread over several civtag servers of one dataset (`civtag serve --database`):
// listeners on every server, one sender per server, all sending at once; each op is timed until
// its ack and until every listener, on whichever server, has its change.
import { closeAll, openClient } from './socket-clients.mjs';
import { percentiles } from './statistics.mjs';

const CONNECT_BATCH = 50;
const OP_TIMEOUT_MS = 10_000;
const WARM_UP_OPS = 5;

/**
 * Connects `count` listeners spread evenly over the socket `urls` and `senderCount` senders (also
 * spread over them), then each sender sends `opsPerSender` ops (from `nextOp()`) one after
 * another, all senders at once, after a few untimed warm-up ops each.
 * Resolves `{ opsPerSecond, ack, everyone, failures }`: ops acknowledged per second over the
 * whole run, the p50/p99 of send → ack and of send → every listener has the change.
 */
export async function measureSpreadOps(urls, { count, senderCount, opsPerSender, nextOp, label }) {
  const pending = new Map();
  const onListenerFrame = (frame) => {
    if (frame.type !== 'change' && frame.type !== 'reload') return;
    const waiting = pending.get(frame.data.opId);
    if (!waiting) return;
    waiting.remaining--;
    waiting.settleIfDone();
  };
  const listeners = [];
  try {
    for (let start = 0; start < count; start += CONNECT_BATCH) {
      const batch = [];
      for (let index = start; index < Math.min(count, start + CONNECT_BATCH); index++) {
        const url = urls[index % urls.length];
        batch.push(openClient(url, {}, `${label}-listener-${index}`, onListenerFrame));
      }
      listeners.push(...(await Promise.all(batch)));
    }
    const senders = [];
    for (let index = 0; index < senderCount; index++) {
      const url = urls[index % urls.length];
      const sender = await openClient(url, {}, `${label}-sender-${index}`, (frame) => {
        const waiting = pending.get(frame.id);
        if (!waiting) return;
        if (frame.type === 'ack') {
          waiting.ackMs = performance.now() - waiting.sentAt;
          waiting.settleIfDone();
        } else if (frame.type === 'reject') {
          waiting.fail(new Error(`op rejected: ${frame.data.code} ${frame.data.message}`));
        }
      });
      senders.push(sender);
      listeners.push(sender);
    }
    let sequence = 0;
    const sendOp = (sender) =>
      new Promise((resolve, reject) => {
        const opId = `${label}-op-${++sequence}`;
        const timer = setTimeout(
          () => waiting.fail(new Error(`no ack and broadcast within ${OP_TIMEOUT_MS} ms`)),
          OP_TIMEOUT_MS,
        );
        const waiting = {
          sentAt: performance.now(),
          remaining: count,
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
        sender.send(JSON.stringify({ v: 1, type: 'op', id: opId, data: { op: nextOp() } }));
      });
    const ack = [];
    const everyone = [];
    let failures = 0;
    let acknowledged = 0;
    await Promise.all(
      senders.map(async (sender) => {
        for (let index = 0; index < WARM_UP_OPS; index++) await sendOp(sender).catch(() => {});
      }),
    );
    const started = performance.now();
    await Promise.all(
      senders.map(async (sender) => {
        for (let index = 0; index < opsPerSender; index++) {
          try {
            const { ackMs, allMs } = await sendOp(sender);
            ack.push(ackMs);
            everyone.push(allMs);
            acknowledged++;
          } catch {
            failures++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      opsPerSecond: acknowledged / seconds,
      ack: percentiles(ack),
      everyone: percentiles(everyone),
      failures,
    };
  } finally {
    await closeAll(listeners);
  }
}
