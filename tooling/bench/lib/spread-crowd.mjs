// Socket clients spread over several civtag servers of one dataset (`civtag serve --database`):
// listeners on every server, one sender per server, all sending at once; each op is timed until
// its ack and until every listener, on whichever server, has its change.
import { closeAll, openClient, openListeners, trackOps } from './socket-clients.mjs';
import { percentiles } from './statistics.mjs';

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
  const ops = trackOps({ listenerCount: count, label, timeoutMs: OP_TIMEOUT_MS });
  const sendOp = (sender) => ops.sendOp(sender, nextOp());
  const listeners = [];
  try {
    await openListeners(urls, { count, label, onFrame: ops.onListenerFrame, into: listeners });
    const senders = [];
    for (let index = 0; index < senderCount; index++) {
      const url = urls[index % urls.length];
      const sender = await openClient(url, {}, `${label}-sender-${index}`, ops.onSenderFrame);
      senders.push(sender);
      listeners.push(sender);
    }
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
