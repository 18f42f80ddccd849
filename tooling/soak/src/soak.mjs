// The soak itself: a dataset, the server as a child process killed and restarted on schedule,
// and around it socket clients (some behind the chaos proxy), HTTP clients, an editor of
// caption files, imports and bulk ops; then the checks. `runSoak(options)` returns the result
// object that run-soak.mjs prints and writes.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { copyCorpus } from '@civtag/test-corpus';
import { AckLedger, checkAcknowledgements, EXPECTED_REFUSALS } from './ack-ledger.mjs';
import { startChaosProxy } from './chaos-proxy.mjs';
import { compareCaptions, findTemporaryFiles } from './dataset-files.mjs';
import { classifyEdits, startExternalEditor } from './external-editor.mjs';
import { HistoryRecorder } from './history-recorder.mjs';
import { startHttpActor } from './http-actor.mjs';
import { fetchAllImages, requestJson } from './http-json.mjs';
import { startImportFeeder } from './import-feeder.mjs';
import { makeOpMaker } from './op-maker.mjs';
import { soakPng } from './png-image.mjs';
import { judgeLifetime, sampleLifetime } from './process-sampler.mjs';
import { seededRandom } from './seeded-random.mjs';
import { cliPath, killServer, startServer, stopServer } from './server-process.mjs';
import { startSocketActor } from './socket-actor.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function runCli(args) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cliPath, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout };
  } catch (error) {
    return { code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
  }
}

/** Waits until the server's revision stands still and no caption waits to be written. */
async function settle(base, { quietMs, deadline }) {
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const health = await requestJson(`${base}/api/health`);
    const dataset = await requestJson(`${base}/api/dataset`);
    if (health.ok && dataset.ok) {
      if (dataset.body.revision !== last || health.body.captionsPending !== 0) {
        last = dataset.body.revision;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return true;
    }
    await sleep(100);
  }
  return false;
}

/**
 * Sends the newest `count` acknowledged ops again with their client id and op id; a server that
 * remembers its idempotency keys (across a restart, in its snapshot) answers each with
 * `duplicate: true` and the revision of the first answer.
 */
async function resendAcknowledged(base, ledger, count) {
  const newest = [...ledger.entries.values()]
    .filter((entry) => entry.state === 'acked' && entry.request !== undefined)
    .sort((a, b) => a.ackedAt - b.ackedAt)
    .slice(-count);
  const failures = [];
  for (const entry of newest) {
    const answer = await requestJson(`${base}${entry.request.path}`, {
      method: 'POST',
      body: entry.request.body,
    });
    if (!answer.ok || answer.body.duplicate !== true || answer.body.revision !== entry.revision) {
      failures.push(
        `op ${entry.clientId} ${entry.opId} (${entry.kind}), acknowledged with revision ${entry.revision}, sent again with its key: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
    }
  }
  return { resent: newest.length, failures };
}

/**
 * Runs a soak. Options: `minutes`, `clients`, `seed`, `killEveryS` ([low, high] seconds),
 * `httpClients`, `proxiedShare` (of the socket clients), `keepWorkDir`, `log` (a function for
 * progress lines). Resolves `{ passed, failures, figures, ... }`.
 */
export async function runSoak(options) {
  const { minutes, clients, seed, killEveryS, httpClients, log } = options;
  const random = seededRandom(seed, 'soak');
  const workDir = await mkdtemp(path.join(tmpdir(), 'civtag-soak-'));
  const dataset = path.join(workDir, 'dataset');
  const importRoot = path.join(workDir, 'incoming');
  const logFile = path.join(workDir, 'server.log');
  const failures = [];
  const fail = (message) => failures.push(message);
  const counts = {
    kills: 0,
    restarts: 0,
    reconnects: 0,
    reloads: 0,
    clientErrors: {},
    serverErrors: [],
    httpRetries: 0,
    reads: 0,
    readsWithoutAnswer: 0,
    externalEdits: 0,
    editorErrors: [],
    importsStarted: 0,
    importsDone: 0,
    importRetries: 0,
    importProblems: [],
    importedImagesOffered: 0,
    bulkOps: 0,
    temporaryFilesAfterRestart: 0,
  };
  const lifetimes = [];
  const started = Date.now();
  let server;

  try {
    // The dataset: the corpus's PNG suite and some images of our own, imported by the CLI.
    log(`work folder ${workDir}`);
    const source = path.join(workDir, 'source');
    await mkdir(path.join(source, 'own'), { recursive: true });
    await copyCorpus('pngsuite', source);
    for (let index = 0; index < 120; index += 1)
      await writeFile(path.join(source, 'own', `own-${index}.png`), soakPng(index));
    const made = await runCli([
      'import',
      source,
      '--out',
      dataset,
      '--prefix',
      'soak',
      '--recursive',
      '--json',
    ]);
    const importResult = JSON.parse(made.stdout || '{}');
    if (made.code !== 0 && importResult.ok !== true)
      throw new Error(`civtag import failed (${made.code}): ${made.stdout}${made.stderr}`);
    await mkdir(importRoot, { recursive: true });

    const port = await freePort();
    let lifetime = 0;
    const probeEveryMs = minutes < 5 ? 1000 : 2000;
    const start = async () => {
      lifetime += 1;
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await startServer({
            dataset,
            port,
            importRoot,
            workDir,
            logFile,
            probeEveryMs,
            lifetime,
          });
        } catch (error) {
          fail(
            `lifetime ${lifetime}: the server did not start (attempt ${attempt}): ${String(error.message).slice(0, 2000)}`,
          );
          if (attempt >= 3) throw error;
          await sleep(1000);
        }
      }
    };
    server = await start();
    const base = `http://127.0.0.1:${port}`;
    const initial = await fetchAllImages(base);
    log(
      `dataset of ${initial.images.length} images at revision ${initial.revision}; server pid ${server.pid} on port ${port}`,
    );

    const recorder = new HistoryRecorder(base);
    recorder.start(initial);
    const ledger = new AckLedger();
    // A few images only exclude and restore touch (the editor leaves them alone: their caption
    // moves to the trash and back), and some only the editor and the bulk ops over all images.
    const shuffled = random.fork('pools').shuffle(initial.images.map((image) => image.id));
    const pools = {
      excludable: new Set(shuffled.slice(0, 6)),
      quiet: new Set(shuffled.slice(6, 30)),
    };
    const proxy = await startChaosProxy({
      targetPort: port,
      random: random.fork('proxy'),
      chaosEveryMs: 1500,
    });

    // Load: socket clients (every third behind the proxy), HTTP clients, editor, imports, bulk.
    const socketActors = [];
    for (let index = 0; index < clients; index += 1) {
      const proxied = index % 3 === 2;
      const name = `ws${index}${proxied ? 'p' : ''}`;
      socketActors.push(
        startSocketActor({
          name,
          url: `ws://127.0.0.1:${proxied ? proxy.port : port}/ws`,
          ledger,
          maker: makeOpMaker({
            model: recorder,
            random: random.fork(`${name}/ops`),
            markerPrefix: `w${index}`,
            pools,
          }),
          random: random.fork(name),
          meanGapMs: 400,
          counts,
        }),
      );
    }
    const httpActors = [];
    for (let index = 0; index < httpClients; index += 1) {
      const name = `http${index}`;
      httpActors.push(
        startHttpActor({
          name,
          base: () => base,
          ledger,
          maker: makeOpMaker({
            model: recorder,
            random: random.fork(`${name}/ops`),
            markerPrefix: `h${index}`,
            pools,
          }),
          model: recorder,
          random: random.fork(name),
          meanGapMs: 150,
          counts,
        }),
      );
    }
    const editor = startExternalEditor({
      dataset,
      workDir,
      model: recorder,
      pools,
      random: random.fork('editor'),
      meanGapMs: 1200,
      counts,
    });
    const feeder = startImportFeeder({
      base,
      importRoot,
      random: random.fork('imports'),
      everyMs: minutes < 5 ? 12_000 : 30_000,
      firstImageIndex: 10_000,
      counts,
    });
    // Bulk ops go over the socket of one client of their own and over HTTP, in turn.
    const bulkRandom = random.fork('bulk');
    const bulkMaker = makeOpMaker({
      model: recorder,
      random: bulkRandom,
      markerPrefix: 'b',
      pools,
    });
    const bulkSocket = startSocketActor({
      name: 'bulk',
      url: `ws://127.0.0.1:${port}/ws`,
      ledger,
      maker: { small: () => bulkMaker.bulk() },
      random: bulkRandom.fork('socket'),
      meanGapMs: 10_000,
      counts,
    });
    const janitor = startHttpActor({
      name: 'bulkhttp',
      base: () => base,
      ledger,
      maker: { small: () => bulkMaker.janitor(300) ?? bulkMaker.bulk() },
      model: recorder,
      random: bulkRandom.fork('http'),
      meanGapMs: 15_000,
      counts,
    });

    // Kills on schedule until the load ends.
    const loadEnds = started + minutes * 60_000;
    let sampler = sampleLifetime({ server, base, everyMs: probeEveryMs });
    const endLifetime = async (how) => {
      const samples = await sampler.stop();
      lifetimes.push({
        lifetime: lifetimes.length + 1,
        pid: server.pid,
        ended: how,
        seconds: Math.round((Date.now() - server.startedAt) / 1000),
        ...judgeLifetime(samples, server.startedAt),
      });
    };
    while (Date.now() < loadEnds) {
      const killAt = Date.now() + random.between(killEveryS[0], killEveryS[1]) * 1000;
      // Temporary files a killed server left must be gone once the next one has opened.
      const restartedAt = server.startedAt;
      let checkedTemporary = false;
      while (Date.now() < Math.min(killAt, loadEnds)) {
        await sleep(250);
        if (!checkedTemporary && lifetime > 1 && Date.now() - restartedAt > 10_000) {
          checkedTemporary = true;
          const left = await findTemporaryFiles(dataset, { olderThan: restartedAt - 1000 });
          counts.temporaryFilesAfterRestart += left.length;
          if (left.length > 0)
            fail(
              `lifetime ${lifetime}: 10 s after the restart, temporary files of an earlier life are still there: ${left.slice(0, 10).join(', ')}`,
            );
        }
      }
      if (Date.now() >= loadEnds) break;
      await killServer(server);
      counts.kills += 1;
      await endLifetime('SIGKILL');
      log(
        `kill ${counts.kills} at ${Math.round((Date.now() - started) / 1000)} s; ${ledger.counts().acked} ops acknowledged so far`,
      );
      await sleep(random.between(300, 3000));
      server = await start();
      counts.restarts += 1;
      sampler = sampleLifetime({ server, base, everyMs: probeEveryMs });
    }
    await endLifetime('end of load');

    // The end: stop making work, let every client's ops be answered, settle, check.
    log('load over; draining');
    proxy.calm();
    await editor.stop();
    const drainDeadline = Date.now() + 120_000;
    await Promise.all([...socketActors, bulkSocket].map((actor) => actor.stop()));
    await Promise.all([...httpActors, janitor].map((actor) => actor.stop(90_000)));
    await feeder.stop();
    const importsComplete = await feeder.finish(Date.now() + 60_000);
    if (!importsComplete)
      fail(
        `imports: some folders were not imported to the end: ${JSON.stringify(counts.importProblems.slice(-5))}`,
      );
    await Promise.race([
      Promise.all([...socketActors, bulkSocket].map((actor) => actor.drain())),
      sleep(Math.max(0, drainDeadline - Date.now())),
    ]);
    const settled = await settle(base, { quietMs: 3000, deadline: Date.now() + 60_000 });
    if (!settled)
      fail(
        'the server did not settle (revision still moving or captions pending) within 60 s of the end',
      );
    for (let polls = 0; polls < 3; polls += 1) await recorder.poll();
    await recorder.stop();

    // What the server serves, against the history folded onto the first state.
    const served = await fetchAllImages(base);
    if (served === undefined)
      throw new Error('the server did not answer GET /api/images at the end');
    if (served.revision !== recorder.revision)
      fail(
        `the server is at revision ${served.revision}, the history reached ${recorder.revision}`,
      );
    if (recorder.gaps.length === 0) {
      let differing = 0;
      const examples = [];
      for (const image of served.images) {
        const model = recorder.images.get(image.id);
        const same =
          model !== undefined &&
          JSON.stringify(model.tags) === JSON.stringify(image.tags) &&
          model.excluded === image.excluded;
        if (!same) {
          differing += 1;
          if (examples.length < 5)
            examples.push({ id: image.id, served: image.tags, history: model?.tags });
        }
      }
      if (differing > 0 || recorder.images.size !== served.images.length)
        fail(
          `the served state differs from the history's changes folded onto the first state: ${differing} images (${recorder.images.size} vs ${served.images.length}), e.g. ${JSON.stringify(examples)}`,
        );
    }
    const hashes = new Set(served.images.map((image) => image.hash));
    if (hashes.size !== served.images.length)
      fail(`${served.images.length - hashes.size} images share their content with another`);
    const expectedImages = initial.images.length + counts.importedImagesOffered;
    if (served.images.length !== expectedImages)
      fail(
        `the dataset has ${served.images.length} images; ${initial.images.length} at the start and ${counts.importedImagesOffered} imported make ${expectedImages}`,
      );

    // Every acknowledged op once, at its revision, in order.
    const acknowledgements = checkAcknowledgements(ledger, recorder);
    for (const message of acknowledgements.failures) fail(message);
    if (acknowledgements.failures.overflow)
      fail(`... and ${acknowledgements.failures.overflow} more op failures`);
    const ledgerCounts = ledger.counts();
    if (ledgerCounts.pending > 0) fail(`${ledgerCounts.pending} ops were never answered`);
    for (const [code, count] of Object.entries(ledgerCounts.refusedBy)) {
      if (!EXPECTED_REFUSALS.has(code)) fail(`${count} ops were refused with ${code}`);
    }
    for (const regression of recorder.regressions)
      fail(
        `after a restart the revision went back from ${regression.from} to ${regression.to}: acknowledged changes were lost`,
      );
    for (const conflict of recorder.conflicts.slice(0, 10))
      fail(
        `revision ${conflict.revision} was served as two different changes: ${JSON.stringify(conflict.first)} and ${JSON.stringify(conflict.second)}`,
      );
    for (const error of counts.serverErrors.slice(0, 20))
      fail(`a 5xx answer: ${JSON.stringify(error).slice(0, 500)}`);

    const edits = classifyEdits(editor.edits, recorder);
    for (const edit of edits.lost.slice(0, 10))
      fail(
        `an external edit of ${edit.imageId} (${JSON.stringify(edit.tags)}) was never taken in and no civtag change raced it (the next change of the image: ${JSON.stringify(edit.nextChange)})`,
      );

    // Files on disk while the server runs, settled.
    const captions = await compareCaptions(dataset, served.images);
    for (const problem of captions.problems.slice(0, 20)) fail(`caption file: ${problem}`);
    const check = await requestJson(`${base}/api/check`, { timeoutMs: 120_000 });
    if (!check.ok || check.body.ok === false || check.body.passed === false)
      fail(`GET /api/check: ${JSON.stringify(check.body).slice(0, 1000)}`);
    const temporaryWhileRunning = await findTemporaryFiles(dataset);
    if (temporaryWhileRunning.length > 0)
      fail(
        `temporary files in the settled dataset: ${temporaryWhileRunning.slice(0, 10).join(', ')}`,
      );

    // A clean stop, then the same state from the CLI's check and from a fresh start.
    for (const actor of [...socketActors, bulkSocket]) actor.close();
    await proxy.close();
    const stopped = await stopServer(server);
    if (stopped.code !== 0)
      fail(`the last server exited with ${stopped.code ?? stopped.signal} on SIGTERM`);
    server = undefined;
    const temporaryAfterStop = await findTemporaryFiles(dataset);
    if (temporaryAfterStop.length > 0)
      fail(`temporary files after a clean stop: ${temporaryAfterStop.slice(0, 10).join(', ')}`);
    const cliCheck = await runCli(['check', dataset, '--json']);
    if (cliCheck.code !== 0)
      fail(`civtag check exited ${cliCheck.code}: ${cliCheck.stdout.slice(0, 1000)}`);
    server = await start();
    const reopened = await fetchAllImages(base);
    const essence = (images) =>
      JSON.stringify(images.map(({ id, file, tags, excluded }) => ({ id, file, tags, excluded })));
    if (reopened === undefined || essence(reopened.images) !== essence(served.images))
      fail(
        'after a clean stop and a fresh start the server serves another state than before the stop',
      );
    // The newest acknowledged ops, sent again with their keys over HTTP to the fresh server:
    // each must be answered as a resend with its first revision, not applied again.
    const resent = await resendAcknowledged(base, ledger, 200);
    for (const message of resent.failures.slice(0, 20)) fail(message);
    await stopServer(server);
    server = undefined;

    for (const judged of lifetimes)
      for (const problem of judged.problems)
        fail(`lifetime ${judged.lifetime} (pid ${judged.pid}): ${problem}`);

    const judgedLifetimes = lifetimes.filter((entry) => entry.judged);
    return {
      passed: failures.length === 0,
      failures,
      options: { ...options, log: undefined },
      seconds: Math.round((Date.now() - started) / 1000),
      dataset: {
        imagesAtStart: initial.images.length,
        imagesAtEnd: served.images.length,
        revisionAtEnd: served.revision,
        corpusImportFailures: importResult.failed ?? importResult.failures?.length,
      },
      ops: {
        ...ledgerCounts,
        ...acknowledgements.figures,
        resentAtEnd: resent.resent,
        resendFailures: resent.failures.length,
        opsPerSecond: Math.round((ledgerCounts.acked / (minutes * 60)) * 10) / 10,
      },
      history: {
        changesSeen: recorder.changes.size,
        gaps: recorder.gaps,
        regressions: recorder.regressions.length,
        polls: recorder.polls,
      },
      server: {
        kills: counts.kills,
        restarts: counts.restarts,
        serverErrors: counts.serverErrors.length,
        temporaryFilesAfterRestart: counts.temporaryFilesAfterRestart,
      },
      clients: {
        socket: clients,
        proxied: socketActors.filter((_, index) => index % 3 === 2).length,
        http: httpClients,
        reconnects: counts.reconnects,
        reloads: counts.reloads,
        clientErrors: counts.clientErrors,
        httpRetries: counts.httpRetries,
        reads: counts.reads,
        readsWithoutAnswer: counts.readsWithoutAnswer,
      },
      proxy: proxy.counts,
      externalEdits: {
        made: counts.externalEdits,
        takenIn: edits.taken,
        overwrittenByRace: edits.overwritten,
        lost: edits.lost.length,
        editorErrors: counts.editorErrors.length,
      },
      imports: {
        started: counts.importsStarted,
        done: counts.importsDone,
        retries: counts.importRetries,
        imagesOffered: counts.importedImagesOffered,
        problems: counts.importProblems.length,
      },
      captions: {
        canonical: captions.canonical,
        notCanonical: captions.notCanonical,
        problems: captions.problems.length,
      },
      resources: {
        tolerance: (await import('./process-sampler.mjs')).FLAT_TOLERANCE,
        lifetimesJudged: judgedLifetimes.length,
        lifetimesFlat: judgedLifetimes.filter((entry) => entry.flat).length,
        lifetimes,
      },
      workDir: options.keepWorkDir || failures.length > 0 ? workDir : undefined,
    };
  } finally {
    if (server !== undefined) await killServer(server);
    if (!options.keepWorkDir && failures.length === 0)
      await rm(workDir, { recursive: true, force: true });
  }
}
