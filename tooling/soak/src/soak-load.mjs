// The load of a soak, all at once: socket clients (every third behind the chaos proxy), HTTP
// clients, the caption editor, the imports and the bulk ops; and its end, when every op sent
// is waited for.
import { startChaosProxy } from './chaos-proxy.mjs';
import { startExternalEditor } from './external-editor.mjs';
import { startHttpActor } from './http-actor.mjs';
import { startImportFeeder } from './import-feeder.mjs';
import { makeOpMaker } from './op-maker.mjs';
import { startSocketActor } from './socket-actor.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts everything; `options`: `{ port, dataset, workDir, importRoot, recorder, ledger, random, clients, httpClients, minutes, counts }`. */
export async function startLoad(options) {
  const { port, recorder, ledger, random, counts } = options;
  const base = `http://127.0.0.1:${port}`;
  // A few images only exclude and restore touch (the editor leaves them alone: their caption
  // moves to the trash and back), and some only the editor and the bulk ops over all images.
  const shuffled = random.fork('pools').shuffle([...recorder.images.keys()]);
  const pools = {
    excludable: new Set(shuffled.slice(0, 6)),
    quiet: new Set(shuffled.slice(6, 30)),
  };
  const maker = (name, markerPrefix) =>
    makeOpMaker({ model: recorder, random: random.fork(`${name}/ops`), markerPrefix, pools });
  const proxy = await startChaosProxy({
    targetPort: port,
    random: random.fork('proxy'),
    chaosEveryMs: 1500,
  });

  const socketActors = [];
  for (let index = 0; index < options.clients; index += 1) {
    const proxied = index % 3 === 2;
    const name = `ws${index}${proxied ? 'p' : ''}`;
    socketActors.push(
      startSocketActor({
        name,
        url: `ws://127.0.0.1:${proxied ? proxy.port : port}/ws`,
        ledger,
        maker: maker(name, `w${index}`),
        random: random.fork(name),
        meanGapMs: 400,
        counts,
      }),
    );
  }
  const httpActors = [];
  for (let index = 0; index < options.httpClients; index += 1) {
    const name = `http${index}`;
    httpActors.push(
      startHttpActor({
        name,
        base: () => base,
        ledger,
        maker: maker(name, `h${index}`),
        model: recorder,
        random: random.fork(name),
        meanGapMs: 150,
        counts,
      }),
    );
  }
  // Bulk ops go over a socket client of their own and over HTTP, with the bulk remove of markers.
  const bulkMaker = maker('bulk', 'b');
  socketActors.push(
    startSocketActor({
      name: 'bulk',
      url: `ws://127.0.0.1:${port}/ws`,
      ledger,
      maker: { small: () => bulkMaker.bulk() },
      random: random.fork('bulk/socket'),
      meanGapMs: 10_000,
      counts,
    }),
  );
  httpActors.push(
    startHttpActor({
      name: 'bulkhttp',
      base: () => base,
      ledger,
      maker: { small: () => bulkMaker.janitor(300) ?? bulkMaker.bulk() },
      model: recorder,
      random: random.fork('bulk/http'),
      meanGapMs: 15_000,
      counts,
    }),
  );
  const editor = startExternalEditor({
    dataset: options.dataset,
    workDir: options.workDir,
    model: recorder,
    pools,
    random: random.fork('editor'),
    meanGapMs: 1200,
    counts,
  });
  const feeder = startImportFeeder({
    base,
    importRoot: options.importRoot,
    random: random.fork('imports'),
    everyMs: options.minutes < 5 ? 12_000 : 30_000,
    firstImageIndex: 10_000,
    counts,
  });
  return { proxy, socketActors, httpActors, editor, feeder };
}

/**
 * Stops making work and waits (up to two minutes) until every op sent is answered and every
 * import folder is in; resolves the failures met.
 */
export async function endLoad(load, counts) {
  const failures = [];
  load.proxy.calm();
  await load.editor.stop();
  const deadline = Date.now() + 120_000;
  await Promise.all(load.socketActors.map((actor) => actor.stop()));
  await Promise.all(load.httpActors.map((actor) => actor.stop(90_000)));
  await load.feeder.stop();
  if (!(await load.feeder.finish(Date.now() + 60_000))) {
    failures.push(
      `imports: some folders were not imported to the end: ${JSON.stringify(counts.importProblems.slice(-5))}`,
    );
  }
  await Promise.race([
    Promise.all(load.socketActors.map((actor) => actor.drain())),
    sleep(Math.max(0, deadline - Date.now())),
  ]);
  return failures;
}

/** Closes the clients and the proxy. */
export async function closeLoad(load) {
  for (const actor of load.socketActors) actor.close();
  await load.proxy.close();
}
