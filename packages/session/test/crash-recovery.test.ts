import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../src/index.js';
import { bundleChild, removeBundles } from './child/bundle-child.js';
import { startChild } from './child/running-child.js';
import { batchSize, expectedState, listOptions } from './list-model.js';
import { temporaryFolder } from './temporary-folder.js';

/** Kills in CI; `test/soak.mjs` (`pnpm bench`) runs many more. */
const KILLS = Number(process.env.CIVTAG_SESSION_KILLS ?? 60);

let bundle: string;
beforeAll(async () => {
  bundle = await bundleChild();
});
afterAll(removeBundles);

function digestOf(revision: number): string {
  return createHash('sha256')
    .update(JSON.stringify(expectedState(revision)))
    .digest('hex');
}

/**
 * Checks what one killed child printed against what was acknowledged before it, and returns the
 * number of entries acknowledged after it.
 */
function checkRound(lines: readonly string[], acknowledgedBefore: number): number {
  const open = lines.find((line) => line.startsWith('open '));
  if (open === undefined) {
    expect(lines).toEqual([]);
    return acknowledgedBefore;
  }
  const [, revision, digest] = open.split(' ');
  const recovered = Number(revision);
  // Nothing acknowledged is lost; at most the one entry in flight at the kill was kept too.
  expect(recovered).toBeGreaterThanOrEqual(acknowledgedBefore);
  expect(recovered).toBeLessThanOrEqual(acknowledgedBefore + 1);
  // The recovered state equals a replay of entries 1..revision from scratch.
  expect(digest).toBe(digestOf(recovered));
  const duplicate = lines.find((line) => line.startsWith('dup '));
  if (duplicate !== undefined) expect(duplicate).toBe(`dup ${recovered} true`);
  const acks = lines.filter((line) => line.startsWith('ack '));
  // Acknowledgements come in revision order, each revision once.
  expect(acks).toEqual(acks.map((_, index) => `ack ${recovered + index + 1}`));
  return recovered + acks.length;
}

describe('a session killed at random moments', () => {
  it(
    'keeps every acknowledged entry, in order, exactly once, equal to a replay from scratch',
    async () => {
      const dir = await temporaryFolder();
      let acknowledged = 0;
      let startUpMs = 300;
      for (let round = 0; round < KILLS; round += 1) {
        const started = performance.now();
        // A journal bound of 1 compacts after every entry, so that kills land inside compaction too.
        const journalBound = round % 2 === 0 ? '25' : '1';
        const child = startChild(bundle, ['crash', dir, journalBound]);
        if (round % 6 === 5) {
          // Some kills land while the session is being opened and recovered.
          await sleep(startUpMs * (0.6 + Math.random() * 0.5));
        } else {
          await child.waitForLine((line) => line.startsWith('open '));
          startUpMs = performance.now() - started;
          await sleep(Math.random() * 80);
        }
        child.process.kill('SIGKILL');
        const { signal } = await child.exited;
        if (signal !== 'SIGKILL') throw new Error(`The child ended on its own: ${child.stderr()}`);
        acknowledged = checkRound(child.lines, acknowledged);
      }
      const session = await openSession(listOptions(dir));
      expect(session.revision).toBeGreaterThanOrEqual(acknowledged);
      expect(session.revision).toBeLessThanOrEqual(acknowledged + 1);
      expect(session.state).toEqual(expectedState(session.revision));
      await session.close();
      // The kills landed while entries were being applied.
      expect(acknowledged).toBeGreaterThan(KILLS);
    },
    Math.max(120_000, KILLS * 2_000),
  );

  it(
    'keeps every acknowledged batch whole and no part of one in flight, equal to the same entries replayed one by one',
    async () => {
      const dir = await temporaryFolder();
      let acknowledged = 0;
      for (let round = 0; round < Math.ceil(KILLS / 2); round += 1) {
        const journalBound = round % 2 === 0 ? '25' : '1';
        const child = startChild(bundle, ['batch', dir, journalBound]);
        await child.waitForLine((line) => line.startsWith('open '));
        await sleep(Math.random() * 80);
        child.process.kill('SIGKILL');
        const { signal } = await child.exited;
        if (signal !== 'SIGKILL') throw new Error(`The child ended on its own: ${child.stderr()}`);
        const [, revision, digest] = (child.lines[0] ?? '').split(' ');
        const recovered = Number(revision);
        // The batch in flight at the last kill is there whole or not at all.
        expect([acknowledged, acknowledged + batchSize(acknowledged + 1)]).toContain(recovered);
        expect(digest).toBe(digestOf(recovered));
        const acks = child.lines.filter((line) => line.startsWith('ack '));
        let expected = recovered;
        for (const ack of acks) {
          expected += batchSize(expected + 1);
          expect(ack).toBe(`ack ${expected}`);
        }
        acknowledged = expected;
      }
      const session = await openSession(listOptions(dir));
      expect([acknowledged, acknowledged + batchSize(acknowledged + 1)]).toContain(
        session.revision,
      );
      expect(session.state).toEqual(expectedState(session.revision));
      await session.close();
      expect(acknowledged).toBeGreaterThan(KILLS);
    },
    Math.max(120_000, KILLS * 2_000),
  );
});
