import { CivtagError } from '@civtag/api-models';
import { SessionError, type StoreWrite } from '@civtag/session/store';
import { describe, expect, it } from 'vitest';
import { PostgresSessionStore } from '../src/index.js';
import { push } from './list-model.js';
import { newDataset, openList, storeOf, usePostgres } from './postgres.js';

const { server } = usePostgres();

/**
 * A store whose next commit goes through in PostgreSQL but whose answer is lost, as when the
 * connection drops while `COMMIT` is in flight: the writer cannot tell whether it was stored.
 */
class AnswerLostStore extends PostgresSessionStore {
  loseNextAnswer = false;

  override async beginWrite(): Promise<StoreWrite> {
    const write = await super.beginWrite();
    if (!this.loseNextAnswer) return write;
    this.loseNextAnswer = false;
    const before = this.position;
    return {
      others: write.others,
      findKey: write.findKey?.bind(write),
      append: (append) => write.append(append),
      compact: (snapshot) => write.compact(snapshot),
      abort: () => write.abort(),
      commit: async () => {
        await write.commit();
        // What the store knows after a lost answer: nothing more than before the write.
        (this as unknown as { cursor: number }).cursor = before;
        throw new SessionError(
          'IO_ERROR',
          'Saving the change: the PostgreSQL database cannot be reached (connection lost during COMMIT).',
          { details: { retrying: true } },
        );
      },
    };
  }
}

describe('a commit whose answer is lost', () => {
  it('is not applied in memory, and its resend is answered with the revision it got', async () => {
    const dataset = newDataset();
    const store = new AnswerLostStore({ connectionString: server().url, dataset });
    const session = await openList(store);
    await session.apply(push('a'), { clientId: 'tab', opId: '1' });
    store.loseNextAnswer = true;
    await expect(session.apply(push('b'), { clientId: 'tab', opId: '2' })).rejects.toSatisfy(
      (error) => CivtagError.hasCode(error, 'IO_ERROR'),
    );
    // Not acknowledged, not in memory: the state is what was acknowledged.
    expect(session.revision).toBe(1);
    expect(session.state.items).toEqual(['a']);
    // Sent again, as a client does: it was stored after all, so it is answered, not applied.
    expect(await session.apply(push('b'), { clientId: 'tab', opId: '2' })).toEqual({
      revision: 2,
      result: { length: 2 },
      duplicate: true,
    });
    expect(session.state.items).toEqual(['a', 'b']);
    await session.apply(push('c'));
    const other = await openList(storeOf(server(), dataset));
    expect(other.state.items).toEqual(['a', 'b', 'c']);
  });
});
