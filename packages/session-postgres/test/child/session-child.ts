/**
 * A civtag server's session on PostgreSQL, for tests that kill it. Bundled with the sources by
 * `bundleChild` and run with `node`:
 *
 *   node child.mjs <url> <dataset> <clientId>
 *
 * Opens the session and prints `open <revision>`; resends the op it last sent before (the first
 * stdin line, `last <opId>` or `none`) and prints `dup <opId> <revision> <duplicate>`; then
 * applies `push <clientId>-<n>` with key `(clientId, n)` for n = 1, 2, … (after the last one
 * acknowledged), printing `ack <n> <revision>` after each resolves, forever.
 */
import { createInterface } from 'node:readline';
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
let next = 1;
if (first.startsWith('last ')) {
  const last = Number(first.slice('last '.length));
  const again = await session.apply(push(`${clientId}-${last}`), { clientId, opId: String(last) });
  print(`dup ${last} ${again.revision} ${again.duplicate}`);
  next = last + 1;
}
for (let n = next; ; n += 1) {
  const outcome = await session.apply(push(`${clientId}-${n}`), { clientId, opId: String(n) });
  print(`ack ${n} ${outcome.revision}`);
}
