// civtag serve --database: one op's latency with the session on PostgreSQL beside the file
// journal in the same run, and many clients on one server against the same clients spread over
// three servers of one dataset. Starts its own PostgreSQL (tooling/test-postgres: Debian's
// server binaries, run as the `postgres` user), removed at the end.
import { join } from 'node:path';
import { startPostgres } from '@civtag/test-postgres';
import { startCivtagServer } from '../lib/civtag-server.mjs';
import { listImageIds } from '../lib/image-ids.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure, notMeasuredRow } from '../lib/rows.mjs';
import { connectCrowd, measureOps, WARM_UP_OPS } from '../lib/socket-clients.mjs';
import { measureSpreadOps } from '../lib/spread-crowd.mjs';
import { copyTaggedDataset } from '../lib/tagged-dataset.mjs';

export const id = 'postgres';
export const title =
  'Several servers through PostgreSQL: one op, and many clients on one or three servers';

/** Senders in the many-clients runs: as many on the one server as over the three. */
const SENDERS = 3;

const socketUrl = (server) => `${server.url.replace('http', 'ws')}/ws`;

export async function run({ profile, progress, workFolder }) {
  const rows = [];
  const notes = [];
  const clients = Math.max(...profile.editClientCounts);
  const started = [];
  let postgres = null;
  try {
    let fileServer;
    let databaseServers;
    let imageIds;
    try {
      postgres = await startPostgres();
      const { folder: fileFolder } = await copyTaggedDataset(
        profile.sessionImages,
        join(workFolder, 'file'),
        { progress },
      );
      const { folder: databaseFolder } = await copyTaggedDataset(
        profile.sessionImages,
        join(workFolder, 'database'),
        { progress },
      );
      fileServer = await startCivtagServer(fileFolder);
      started.push(fileServer);
      // The first moves the folder's dataset into the database; the other two join it.
      databaseServers = [];
      for (let index = 0; index < 3; index++) {
        const server = await startCivtagServer(databaseFolder, {
          extraArguments: ['--database', postgres.url],
        });
        started.push(server);
        databaseServers.push(server);
      }
      imageIds = await listImageIds(fileServer.url, fileServer.headers, 20_000);
      if (imageIds.length === 0) throw new Error('the served dataset lists no image');
    } catch (error) {
      const reason = describeFailure(error);
      for (const what of ['1 client: send → ack, p50', '1 client: send → ack, p99'])
        rows.push(notMeasuredRow({ what, unit: 'ms', reason }));
      return { rows, notes: [`Not measured: ${reason}`] };
    }
    let opCount = 0;
    const nextOp = () => {
      opCount++;
      const imageId = imageIds[opCount % imageIds.length];
      return { type: 'add', target: { ids: [imageId] }, tags: [`edit ${opCount}`] };
    };

    // One op, one client: PostgreSQL against the file journal, alternating which goes first.
    const halfway = Date.now() + (profile.deadline - Date.now()) / 2;
    const single = { file: [], database: [] };
    const singleFailures = { file: 0, database: 0 };
    const contenders = [
      ['file', fileServer],
      ['database', databaseServers[0]],
    ];
    const singleRuns = await repeatRuns(profile.editRuns, halfway, async (runIndex) => {
      for (const [name, server] of runIndex % 2 ? [...contenders].reverse() : contenders) {
        let crowd;
        try {
          crowd = await connectCrowd(socketUrl(server), {
            headers: server.headers,
            count: 1,
            label: `${name}-one-${runIndex}`,
          });
          const result = await measureOps(crowd, profile.editOps, nextOp);
          single[name].push(result);
          singleFailures[name] += result.failures;
        } catch (error) {
          singleFailures[name]++;
          notes.push(`${name}, one client: ${describeFailure(error)}`);
        } finally {
          await crowd?.close();
        }
      }
    });
    const shortSingle = shortRunsNote(singleRuns, profile.editRuns, 'one-client runs');
    if (shortSingle) notes.push(shortSingle);
    const pickSingle = (name, quantile) => single[name].map((result) => result.ack[quantile]);
    const fileName = 'the file journal (one server, same dataset)';
    rows.push(
      compareRow({
        what: '1 client: send → ack, p50',
        unit: 'ms',
        civtag: pickSingle('database', 'p50'),
        baseline: { name: fileName, samples: pickSingle('file', 'p50') },
      }),
      compareRow({
        what: '1 client: send → ack, p99',
        unit: 'ms',
        civtag: pickSingle('database', 'p99'),
        baseline: { name: fileName, samples: pickSingle('file', 'p99') },
      }),
    );
    progress(
      `one client: ack p99 ${pickSingle('database', 'p99')
        .map((value) => value.toFixed(1))
        .join('/')} ms on PostgreSQL, ${pickSingle('file', 'p99')
        .map((value) => value.toFixed(1))
        .join('/')} ms on the file journal`,
    );

    // Many clients: all on one server, then spread over the three (the same number of senders).
    const many = { one: [], three: [] };
    const manyFailures = { one: 0, three: 0 };
    const layouts = [
      ['one', [socketUrl(databaseServers[0])]],
      ['three', databaseServers.map(socketUrl)],
    ];
    const opsPerSender = Math.max(1, Math.round(profile.editOps / SENDERS));
    const manyRuns = await repeatRuns(profile.editRuns, profile.deadline, async (runIndex) => {
      for (const [name, urls] of runIndex % 2 ? [...layouts].reverse() : layouts) {
        try {
          const result = await measureSpreadOps(urls, {
            count: clients,
            senderCount: SENDERS,
            opsPerSender,
            nextOp,
            label: `${name}-${clients}-${runIndex}`,
          });
          many[name].push(result);
          manyFailures[name] += result.failures;
        } catch (error) {
          manyFailures[name]++;
          notes.push(`${clients} clients on ${name} server(s): ${describeFailure(error)}`);
        }
      }
    });
    const shortMany = shortRunsNote(manyRuns, profile.editRuns, `runs with ${clients} clients`);
    if (shortMany) notes.push(shortMany);
    const oneName = `${clients} clients on one server`;
    const pick = (name, read) => many[name].map(read);
    rows.push(
      compareRow({
        what: `${clients} clients over 3 servers: ops/s`,
        unit: 'ops/s',
        civtag: pick('three', (result) => result.opsPerSecond),
        baseline: { name: oneName, samples: pick('one', (result) => result.opsPerSecond) },
      }),
      compareRow({
        what: `${clients} clients over 3 servers: send → ack, p99`,
        unit: 'ms',
        civtag: pick('three', (result) => result.ack.p99),
        baseline: { name: oneName, samples: pick('one', (result) => result.ack.p99) },
      }),
      compareRow({
        what: `${clients} clients over 3 servers: every client has the change, p99`,
        unit: 'ms',
        civtag: pick('three', (result) => result.everyone.p99),
        baseline: { name: oneName, samples: pick('one', (result) => result.everyone.p99) },
      }),
      compareRow({
        what: 'failed or lost ops, refused connections',
        unit: '',
        civtag: [singleFailures.database + manyFailures.three],
        baseline: {
          name: 'file journal; one server',
          samples: [singleFailures.file + manyFailures.one],
        },
        target: { text: 'none', check: (median) => median === 0 },
      }),
    );
    progress(
      `${clients} clients: ${pick('one', (result) => result.opsPerSecond.toFixed(0)).join('/')} ops/s on one server, ` +
        `${pick('three', (result) => result.opsPerSecond.toFixed(0)).join('/')} over three`,
    );
    return {
      rows,
      notes: [
        `${profile.editOps} ops per one-client run (after ${WARM_UP_OPS} warm-up ops), one in flight; each op adds a tag ` +
          `to one image of a ${profile.sessionImages.toLocaleString('en-US')}-image dataset. PostgreSQL runs on the ` +
          'same machine (fsync on), started by tooling/test-postgres.',
        `${clients} listening clients and ${SENDERS} senders (${opsPerSender} ops each, one in flight per sender, all at ` +
          'once): on one of the three servers, or spread evenly over the three. "Every client has the change" waits ' +
          'for the listeners on every server; all clients run in the benchmark process.',
        ...notes,
      ],
    };
  } finally {
    for (const server of started.reverse()) await server.stop();
    await postgres?.stop();
  }
}
