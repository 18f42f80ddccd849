import { CivtagError } from '@civtag/ws-protocol';
import { describe, expect, it } from 'vitest';
import { type OpSink, type PendingOp, PendingOps } from './pending-ops.js';

function op(opId: string, bytes = 10): PendingOp {
  return { opId, text: opId, bytes, resolve: () => {}, reject: () => {} };
}

/** A connection that records what it was sent. */
function sink(): OpSink & { sent: string[] } {
  const sent: string[] = [];
  return { sent, send: (text) => sent.push(text) > 0 };
}

const limits = { maxOps: 5, maxBytes: 100, maxInFlight: 2 };

describe('pending ops', () => {
  it('sends the oldest ops first, no more than maxInFlight before answers come', () => {
    const pending = new PendingOps(limits);
    for (const id of ['a', 'b', 'c', 'd']) pending.add(op(id));
    const connection = sink();

    pending.sendWaiting(connection);
    expect(connection.sent).toEqual(['a', 'b']);
    expect(pending.answered(connection, 'a', 'settled')?.opId).toBe('a');
    pending.sendWaiting(connection);
    expect(connection.sent).toEqual(['a', 'b', 'c']);
    expect(pending.size).toBe(3);
  });

  it('resends everything unanswered, in order, on the next connection', () => {
    const pending = new PendingOps(limits);
    for (const id of ['a', 'b', 'c']) pending.add(op(id));
    const first = sink();
    pending.sendWaiting(first);
    pending.answered(first, 'a', 'settled');

    const second = sink();
    pending.connected();
    pending.sendWaiting(second);

    expect(second.sent).toEqual(['b', 'c']);
  });

  it('holds an op turned away until the next connection, without filling the window', () => {
    const pending = new PendingOps(limits);
    for (const id of ['a', 'b', 'c']) pending.add(op(id));
    const first = sink();
    pending.sendWaiting(first);

    expect(pending.answered(first, 'a', 'next-connection')).toBeUndefined();
    pending.sendWaiting(first);
    expect(first.sent).toEqual(['a', 'b', 'c']);
    // A second answer for the held op does not open the window further.
    pending.answered(first, 'a', 'next-connection');
    pending.add(op('d'));
    pending.sendWaiting(first);
    expect(first.sent).toEqual(['a', 'b', 'c']);

    const second = sink();
    pending.connected();
    pending.sendWaiting(second);
    expect(second.sent).toEqual(['a', 'b']);
  });

  it('refuses with QUEUE_FULL past maxOps or maxBytes, keeping what it had', () => {
    const pending = new PendingOps(limits);
    for (const id of ['a', 'b', 'c', 'd', 'e']) pending.add(op(id));
    expect(() => pending.add(op('f'))).toThrow(CivtagError);
    const bytes = new PendingOps(limits);
    bytes.add(op('a', 60));
    expect(() => bytes.add(op('b', 41))).toThrow(/at most 5 ops and 100 bytes/);
    bytes.add(op('c', 40));
    expect(pending.size).toBe(5);
    expect(bytes.size).toBe(2);
  });

  it('ignores answers for ops it no longer has (an ack repeated after a resend)', () => {
    const pending = new PendingOps(limits);
    pending.add(op('a'));
    const connection = sink();
    pending.sendWaiting(connection);

    expect(pending.answered(connection, 'a', 'settled')?.opId).toBe('a');
    expect(pending.answered(connection, 'a', 'settled')).toBeUndefined();
    expect(pending.drain()).toEqual([]);
  });

  it('holds back the whole queue after an op refused for now, and sends it first again on resume', () => {
    const pending = new PendingOps(limits);
    for (const id of ['a', 'b', 'c']) pending.add(op(id));
    const connection = sink();
    pending.sendWaiting(connection);
    expect(connection.sent).toEqual(['a', 'b']);

    expect(pending.answered(connection, 'a', 'later')).toBeUndefined();
    expect(pending.holding).toBe(true);
    pending.sendWaiting(connection);
    expect(connection.sent).toEqual(['a', 'b']);

    pending.resume();
    pending.sendWaiting(connection);
    // `a` again, ahead of `c`; `b` is still out.
    expect(connection.sent).toEqual(['a', 'b', 'a']);
    expect(pending.size).toBe(3);
  });
});
