// The soak itself: a dataset, the server as a child process SIGKILLed and started again on
// schedule, the load around it (soak-load.mjs), then the checks (end-checks.mjs).
// `runSoak(options)` resolves the result that run-soak.mjs prints and writes.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AckLedger } from './ack-ledger.mjs';
import { findTemporaryFiles } from './dataset-files.mjs';
import {
  checkFiles,
  checkOps,
  checkServedState,
  resendAcknowledged,
  settle,
} from './end-checks.mjs';
import { classifyEdits } from './external-editor.mjs';
import { HistoryRecorder } from './history-recorder.mjs';
import { fetchAllImages } from './http-json.mjs';
import { judgeLifetime, sampleLifetime } from './process-sampler.mjs';
import { seededRandom } from './seeded-random.mjs';
import { killServer, startServer, stopServer } from './server-process.mjs';
import { makeSoakDataset, runCivtag } from './soak-dataset.mjs';
import { closeLoad, endLoad, startLoad } from './soak-load.mjs';
import { soakResult } from './soak-result.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function newCounts() {
  return {
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
    temporaryFilesAfterRestart: 0,
  };
}

/**
 * Runs a soak. Options: `minutes`, `clients` (socket), `httpClients`, `seed`, `killEveryS`
 * ([low, high] seconds), `keepWorkDir`, `log` (a function for progress lines). Resolves the
 * result (soak-result.mjs); `passed` is true only when every check passed.
 */
export async function runSoak(options) {
  const { minutes, seed, killEveryS, log } = options;
  const random = seededRandom(seed, 'soak');
  const workDir = await mkdtemp(path.join(tmpdir(), 'civtag-soak-'));
  const importRoot = path.join(workDir, 'incoming');
  const logFile = path.join(workDir, 'server.log');
  const failures = [];
  const fail = (message) => failures.push(message);
  const counts = newCounts();
  const lifetimes = [];
  const started = Date.now();
  let server;

  try {
    log(`work folder ${workDir}`);
    const { dataset, importResult } = await makeSoakDataset(workDir);
    await mkdir(importRoot, { recursive: true });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const probeEveryMs = minutes < 5 ? 1000 : 2000;
    let lifetime = 0;
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
    const initial = await fetchAllImages(base);
    log(
      `dataset of ${initial.images.length} images at revision ${initial.revision}; server pid ${server.pid} on port ${port}`,
    );

    const recorder = new HistoryRecorder(base);
    recorder.start(initial);
    const ledger = new AckLedger();
    const load = await startLoad({
      ...options,
      port,
      dataset,
      workDir,
      importRoot,
      recorder,
      ledger,
      random,
      counts,
    });

    // SIGKILLs on schedule until the load ends.
    const loadEnds = started + minutes * 60_000;
    let sampler = sampleLifetime({ server, base, everyMs: probeEveryMs });
    const endLifetime = async (how) => {
      const samples = await sampler.stop();
      lifetimes.push({
        lifetime: lifetimes.length + 1,
        pid: server.pid,
        ended: how,
        seconds: Math.round((Date.now() - server.startedAt) / 1000),
        ...judgeLifetime(samples, server.startedAt, sampler.startup),
      });
    };
    while (Date.now() < loadEnds) {
      const killAt = Date.now() + random.between(killEveryS[0], killEveryS[1]) * 1000;
      // What a killed server left must be swept once the next one has opened.
      const restartedAt = server.startedAt;
      let sweptChecked = lifetime === 1;
      while (Date.now() < Math.min(killAt, loadEnds)) {
        await sleep(250);
        if (!sweptChecked && Date.now() - restartedAt > 10_000) {
          sweptChecked = true;
          const left = await findTemporaryFiles(dataset, { olderThan: restartedAt - 1000 });
          counts.temporaryFilesAfterRestart += left.length;
          if (left.length > 0) {
            fail(
              `lifetime ${lifetime}: 10 s after the restart, temporary files of an earlier life are still there: ${left.slice(0, 10).join(', ')}`,
            );
          }
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

    log('load over; draining');
    for (const message of await endLoad(load, counts)) fail(message);
    if (!(await settle(base, { quietMs: 3000, deadline: Date.now() + 60_000 }))) {
      fail(
        'the server did not settle (revision still moving or captions pending) within 60 s of the end',
      );
    }
    for (let polls = 0; polls < 3; polls += 1) await recorder.poll();
    await recorder.stop();

    const served = await fetchAllImages(base);
    if (served === undefined)
      throw new Error('the server did not answer GET /api/images at the end');
    const importedImages = counts.importedImagesOffered;
    for (const message of checkServedState({ served, initial, recorder, importedImages }))
      fail(message);
    const ops = checkOps({ ledger, recorder, counts });
    for (const message of ops.failures) fail(message);
    const edits = classifyEdits(load.editor.edits, recorder);
    // Lost edits are counted always, and fail the run beyond `allowedEditLosses` (0 unless
    // asked for, to look into a loss without stopping at it).
    const editLosses = edits.lost.map(
      (edit) =>
        `an external edit of ${edit.imageId} (${JSON.stringify(edit.tags)}) was never taken in (the next change of the image: ${JSON.stringify(edit.nextChange)})`,
    );
    if (edits.lost.length > (options.allowedEditLosses ?? 0)) {
      for (const message of editLosses.slice(0, 10)) fail(message);
    } else {
      for (const message of editLosses) log(`allowed: ${message}`);
    }
    const files = await checkFiles({ base, dataset, images: served.images });
    for (const message of files.failures) fail(message);

    // A clean stop; then the CLI's check, and a fresh start that serves the same state and
    // answers the newest ops, sent again with their keys, as resends.
    await closeLoad(load);
    const stopped = await stopServer(server);
    server = undefined;
    if (stopped.code !== 0)
      fail(`the last server exited with ${stopped.code ?? stopped.signal} on SIGTERM`);
    const leftAfterStop = await findTemporaryFiles(dataset);
    if (leftAfterStop.length > 0)
      fail(`temporary files after a clean stop: ${leftAfterStop.slice(0, 10).join(', ')}`);
    const cliCheck = await runCivtag(['check', dataset, '--json']);
    if (cliCheck.code !== 0)
      fail(`civtag check exited ${cliCheck.code}: ${cliCheck.stdout.slice(0, 1000)}`);
    server = await start();
    const reopened = await fetchAllImages(base);
    const essence = (images) =>
      JSON.stringify(images.map(({ id, file, tags, excluded }) => ({ id, file, tags, excluded })));
    if (reopened === undefined || essence(reopened.images) !== essence(served.images)) {
      fail(
        'after a clean stop and a fresh start the server serves another state than before the stop',
      );
    }
    const resent = await resendAcknowledged(base, ledger, 200);
    for (const message of resent.failures.slice(0, 20)) fail(message);
    await stopServer(server);
    server = undefined;

    for (const judged of lifetimes) {
      for (const problem of judged.problems)
        fail(`lifetime ${judged.lifetime} (pid ${judged.pid}): ${problem}`);
    }
    const result = soakResult({
      failures,
      options: { ...options, log: undefined },
      started,
      initial,
      served,
      importResult,
      ops: ops.figures,
      resent,
      recorder,
      counts,
      load,
      edits,
      captions: files.captions,
      lifetimes,
    });
    return { ...result, workDir: options.keepWorkDir || failures.length > 0 ? workDir : undefined };
  } finally {
    if (server !== undefined) await killServer(server);
    if (!options.keepWorkDir && failures.length === 0)
      await rm(workDir, { recursive: true, force: true });
  }
}
