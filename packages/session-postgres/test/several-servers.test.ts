import { describe, expect, it } from 'vitest';
import { push } from './list-model.js';
import { cutListener, newDataset, openList, storeOf, usePostgres, waitUntil } from './postgres.js';

const { server } = usePostgres();

/** The revisions and values of a session's change feed, oldest first. */
function feedOf(session: Awaited<ReturnType<typeof openList>>) {
  const changes = session.changesSince(0);
  if (changes.reload) throw new Error('The feed does not reach back to revision 0.');
  return changes.entries.map((entry) => [entry.revision, entry.entry]);
}

describe('several sessions on one dataset', () => {
  it('two and three sessions applying interleaved ops share one state and one order', async () => {
    for (const count of [2, 3]) {
      const dataset = newDataset();
      const sessions = [];
      for (let index = 0; index < count; index += 1) {
        sessions.push(await openList(storeOf(server(), dataset)));
      }
      const acknowledged = new Map<string, number>();
      // Each session applies its own ops one after the other while the others do too.
      await Promise.all(
        sessions.map(async (session, index) => {
          for (let op = 0; op < 40; op += 1) {
            const value = `s${index}-${op}`;
            const outcome = await session.apply(push(value), {
              clientId: `c${index}`,
              opId: `${op}`,
            });
            expect(outcome.duplicate).toBe(false);
            acknowledged.set(value, outcome.revision);
          }
        }),
      );
      const total = count * 40;
      await Promise.all(sessions.map((session) => session.catchUp()));
      for (const session of sessions) {
        expect(session.revision).toBe(total);
        // Every op exactly once, at the revision it was acknowledged with.
        expect(new Set(session.state.items).size).toBe(total);
        for (const [value, revision] of acknowledged) {
          expect(session.state.items[revision - 1]).toBe(value);
        }
      }
      const first = sessions[0];
      for (const session of sessions) {
        expect(session.state).toEqual(first?.state);
        expect(feedOf(session)).toEqual(feedOf(first as never));
      }
    }
  });

  it('applies a resent key once, whichever session receives it, with its first revision', async () => {
    const dataset = newDataset();
    const [a, b, c] = [
      await openList(storeOf(server(), dataset)),
      await openList(storeOf(server(), dataset)),
      await openList(storeOf(server(), dataset)),
    ];
    const key = { clientId: 'tab', opId: 'op-1' };
    const first = await a!.apply(push('once'), key);
    await b!.apply(push('other'));
    // b has caught up on a's op by now (before its own apply); c has not applied anything.
    expect(await b!.apply(push('once'), key)).toEqual({ ...first, duplicate: true });
    expect(await c!.apply(push('once'), key)).toEqual({ ...first, duplicate: true });
    // Sent to two sessions at the same moment: one applies it, the other answers it.
    const both = await Promise.all([
      b!.apply(push('twice'), { clientId: 'tab', opId: 'op-2' }),
      c!.apply(push('twice'), { clientId: 'tab', opId: 'op-2' }),
    ]);
    expect(both.map((outcome) => outcome.duplicate).sort()).toEqual([false, true]);
    expect(both[0]?.revision).toBe(both[1]?.revision);
    await a!.catchUp();
    expect(a!.state.items).toEqual(['once', 'other', 'twice']);
  });

  it('brings a reading session up to date when another applies, by notification', async () => {
    const dataset = newDataset();
    // No polling during the test: only the notification can bring the news.
    const reader = await openList(storeOf(server(), dataset, { pollIntervalMs: 3_600_000 }));
    const writer = await openList(storeOf(server(), dataset));
    const seen: number[] = [];
    reader.on('caught-up', (revision) => seen.push(revision));
    await writer.apply(push('a'));
    await writer.apply(push('b'));
    await waitUntil(() => reader.revision === 2, 'the reader to replay the writer’s ops');
    expect(reader.state.items).toEqual(['a', 'b']);
    expect(seen.at(-1)).toBe(2);
    expect(reader.changesSince(0)).toMatchObject({
      reload: false,
      entries: [{ revision: 1 }, { revision: 2 }],
    });
  });

  it('catches up by polling when the listening connection was lost and its notifications missed', async () => {
    const dataset = newDataset();
    // The lost connection is not listened on again during the test: only polling is left.
    const store = storeOf(server(), dataset, { pollIntervalMs: 100, reconnectDelayMs: 3_600_000 });
    const reader = await openList(store);
    const writer = await openList(storeOf(server(), dataset));
    await cutListener(server(), store);
    await writer.apply(push('a'));
    await waitUntil(() => reader.revision === 1, 'the reader to poll the writer’s op');
    expect(reader.state.items).toEqual(['a']);
  });

  it('keeps one state when sessions compact, each at its own pace, while others write', async () => {
    for (let round = 0; round < 3; round += 1) {
      const dataset = newDataset();
      // Compactions by one come between the records another has not read yet.
      const sessions = [];
      for (const journalBound of [2, 3, 5]) {
        const store = storeOf(server(), dataset, { pollIntervalMs: 3_600_000 });
        sessions.push(await openList(store, { journalBound }));
      }
      await Promise.all(
        sessions.map(async (session, index) => {
          for (let op = 0; op < 30; op += 1) await session.apply(push(`s${index}-${op}`));
        }),
      );
      await Promise.all(sessions.map((session) => session.catchUp()));
      for (const session of sessions) expect(session.state).toEqual(sessions[0]?.state);
      const late = await openList(storeOf(server(), dataset));
      expect(late.revision).toBe(90);
      expect(late.state).toEqual(sessions[0]?.state);
    }
  });
});
