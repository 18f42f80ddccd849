// The result object of a soak: the verdict, every failure, and the figures a report needs.
import { FLAT_TOLERANCE } from './process-sampler.mjs';

/** Assembles what run-soak.mjs prints and writes. */
export function soakResult({
  failures,
  options,
  started,
  initial,
  served,
  importResult,
  ops,
  resent,
  recorder,
  counts,
  load,
  edits,
  captions,
  lifetimes,
}) {
  const judged = lifetimes.filter((entry) => entry.judged);
  return {
    passed: failures.length === 0,
    failures,
    options,
    seconds: Math.round((Date.now() - started) / 1000),
    dataset: {
      imagesAtStart: initial.images.length,
      imagesAtEnd: served.images.length,
      revisionAtEnd: served.revision,
      corpusFilesNotImported: importResult?.failures?.length ?? importResult?.failed,
    },
    ops: {
      ...ops,
      resentAtEnd: resent.resent,
      resendFailures: resent.failures.length,
      opsPerSecond: Math.round((ops.acked / (options.minutes * 60)) * 10) / 10,
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
      socket: options.clients,
      proxied: Math.floor(options.clients / 3),
      http: options.httpClients,
      reconnects: counts.reconnects,
      reloads: counts.reloads,
      clientErrors: counts.clientErrors,
      httpRetries: counts.httpRetries,
      reads: counts.reads,
      readsWithoutAnswer: counts.readsWithoutAnswer,
    },
    proxy: load.proxy.counts,
    externalEdits: {
      made: counts.externalEdits,
      takenIn: edits.taken,
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
      tolerance: FLAT_TOLERANCE,
      lifetimesJudged: judged.length,
      lifetimesFlat: judged.filter((entry) => entry.flat).length,
      lifetimes,
    },
  };
}
