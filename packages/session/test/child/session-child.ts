/**
 * A process that uses a session, for tests that kill it. Bundled with the session's sources by
 * `bundleChild` and run with `node`. Modes:
 *
 * - `crash <dir> <journalBound>`: opens the session, prints `open <revision> <digest>`, resends
 *   the last entry with its key (prints `dup <revision> <duplicate>`), then applies the entries
 *   of `expectedEntry(revision)` forever, printing `ack <revision>` after each one resolves.
 * - `batch <dir> <journalBound>`: like `crash`, but applies the entries in batches
 *   (`applyMany`) of `batchSize(first revision)` entries, printing `ack <revision>` with the
 *   last revision of each batch once it resolves.
 * - `race <dir>`: prints `ready` and waits for a line on stdin, then opens the session and prints
 *   `owner` or `locked <details as JSON>`. An owner holds the session until killed, or until the
 *   next line on stdin, when it closes it and prints `closed`. Then it is ready again.
 * - `hold <dir> <count>`: opens the session, applies `expectedEntry` up to revision `count`
 *   (kept in the journal only: no compaction), prints `held <revision>` and holds the session
 *   until killed, or until a line on stdin, when it applies one more entry and prints
 *   `held <revision>` again.
 * - `open <dir>`: opens the session once and closes it; prints `opened <revision>`, or
 *   `refused <error as JSON: code, message, details>` when opening throws a civtag error.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { CivtagError } from '@civtag/api-models';
import { openSession } from '../../src/index.js';
import { batchSize, expectedEntry, listOptions } from '../list-model.js';

const [mode, dir, bound] = process.argv.slice(2);

function print(line: string): void {
  // Pipes are written synchronously on Linux: once this returns, the parent can read the line.
  process.stdout.write(`${line}\n`);
}

async function crash(folder: string, journalBound: number): Promise<void> {
  const session = await openSession(listOptions(folder, { journalBound }));
  const digest = createHash('sha256').update(JSON.stringify(session.state)).digest('hex');
  print(`open ${session.revision} ${digest}`);
  if (session.revision > 0) {
    const last = session.revision;
    const again = await session.apply(expectedEntry(last), {
      clientId: 'crash',
      opId: `op-${last}`,
    });
    print(`dup ${again.revision} ${again.duplicate}`);
  }
  for (;;) {
    const revision = session.revision + 1;
    const key = { clientId: 'crash', opId: `op-${revision}` };
    const outcome = await session.apply(expectedEntry(revision), key);
    print(`ack ${outcome.revision}`);
  }
}

async function batch(folder: string, journalBound: number): Promise<void> {
  const session = await openSession(listOptions(folder, { journalBound }));
  const digest = createHash('sha256').update(JSON.stringify(session.state)).digest('hex');
  print(`open ${session.revision} ${digest}`);
  for (;;) {
    const first = session.revision + 1;
    const entries = Array.from({ length: batchSize(first) }, (_, index) =>
      expectedEntry(first + index),
    );
    await session.applyMany(entries);
    print(`ack ${session.revision}`);
  }
}

async function race(folder: string): Promise<void> {
  const commands = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  for (;;) {
    print('ready');
    if ((await commands.next()).done === true) return;
    try {
      const session = await openSession(listOptions(folder));
      print('owner');
      // Held until killed, or until told to close.
      if ((await commands.next()).done === true) return;
      await session.close();
      print('closed');
    } catch (error) {
      if (!CivtagError.hasCode(error, 'SESSION_LOCKED')) throw error;
      print(`locked ${JSON.stringify(error.details)}`);
    }
  }
}

async function hold(folder: string, count: number): Promise<void> {
  const session = await openSession(listOptions(folder, { journalBound: 1_000_000 }));
  while (session.revision < count) await session.apply(expectedEntry(session.revision + 1));
  print(`held ${session.revision}`);
  for await (const _ of createInterface({ input: process.stdin })) {
    await session.apply(expectedEntry(session.revision + 1));
    print(`held ${session.revision}`);
  }
}

async function openOnce(folder: string): Promise<void> {
  try {
    const session = await openSession(listOptions(folder));
    print(`opened ${session.revision}`);
    await session.close();
  } catch (error) {
    if (!CivtagError.isInstance(error)) throw error;
    const { code, message, details } = error;
    print(`refused ${JSON.stringify({ code, message, details })}`);
  }
}

if (mode === 'crash' && dir !== undefined) await crash(dir, Number(bound ?? 25));
else if (mode === 'batch' && dir !== undefined) await batch(dir, Number(bound ?? 25));
else if (mode === 'race' && dir !== undefined) await race(dir);
else if (mode === 'hold' && dir !== undefined) await hold(dir, Number(bound ?? 10));
else if (mode === 'open' && dir !== undefined) await openOnce(dir);
else {
  process.stderr.write(`unknown mode ${String(mode)}\n`);
  process.exit(2);
}
