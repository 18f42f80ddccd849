/**
 * A civtag server's session on PostgreSQL, for tests that kill it. Bundled with the sources by
 * `bundleChild` and run with `node`:
 *
 *   node child.mjs <url> <dataset> <clientId>
 *
 * Opens the session and prints `open <revision>`; resends the op it last sent before (the first
 * stdin line, `last <opId>` or `none`) and prints `dup <opId> <revision> <duplicate>`; then
 * applies `push <clientId>-<n>` with key `(clientId, n)` for n = 1, 2, … (after the last one
 * acknowledged), printing `ack <n> <revision>` after each resolves, forever. An op refused
 * because the database is away is sent again with its key, as a client does, until it is
 * acknowledged; each refusal prints `refused <n> <code>`.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { CivtagError } from '@civtag/api-models';
import { openSession } from '@civtag/session';
import { PostgresSessionStore } from '../../src/index.js';
import { listOptions, push } from '../list-model.js';

const [url, dataset, clientId] = process.argv.slice(2) as [string, string, string];

function print(line: string): void {
  // Pipes are written synchronously on Linux: once this returns, the parent can read the line.
  process.stdout.write(`${line}\n`);
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const first = (await lines.next()).value as string;
const store = new PostgresSessionStore({ connectionString: url, dataset, pollIntervalMs: 100 });
const session = await openSession(listOptions({ store, journalBound: 50 }));
print(`open ${session.revision}`);

/** Applies op `n`, sending it again while the database is away. */
async function send(n: number) {
  for (;;) {
    try {
      return await session.apply(push(`${clientId}-${n}`), { clientId, opId: String(n) });
    } catch (error) {
      if (!CivtagError.hasCode(error, 'IO_ERROR') || error.details?.retrying !== true) throw error;
      print(`refused ${n} ${error.code}`);
      await sleep(50);
    }
  }
}

let next = 1;
if (first.startsWith('last ')) {
  const last = Number(first.slice('last '.length));
  const again = await send(last);
  print(`dup ${last} ${again.revision} ${again.duplicate}`);
  next = last + 1;
}
for (let n = next; ; n += 1) {
  const outcome = await send(n);
  print(`ack ${n} ${outcome.revision}`);
}
