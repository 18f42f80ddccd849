// The checks at the end of a soak, once the load is over and the server has settled: the state
// it serves against the history, every acknowledged op against the history, resends of the
// newest ops, and the files on disk.
import { checkAcknowledgements, EXPECTED_REFUSALS } from './ack-ledger.mjs';
import { compareCaptions, findTemporaryFiles } from './dataset-files.mjs';
import { requestJson } from './http-json.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the server's revision stands still for `quietMs` and no caption waits to be written. */
export async function settle(base, { quietMs, deadline }) {
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
 * The served state against the history's changes folded onto the first state (when the history
 * has no gap), and the images: each one imported there once. Returns failures.
 */
export function checkServedState({ served, initial, recorder, importedImages }) {
  const failures = [];
  if (served.revision !== recorder.revision) {
    failures.push(
      `the server is at revision ${served.revision}, the history reached ${recorder.revision}`,
    );
  }
  if (recorder.gaps.length === 0) {
    const differing = served.images.filter((image) => {
      const model = recorder.images.get(image.id);
      return (
        model === undefined ||
        JSON.stringify(model.tags) !== JSON.stringify(image.tags) ||
        model.excluded !== image.excluded
      );
    });
    if (differing.length > 0 || recorder.images.size !== served.images.length) {
      const examples = differing.slice(0, 5).map((image) => ({
        id: image.id,
        served: image.tags,
        history: recorder.images.get(image.id)?.tags,
      }));
      failures.push(
        `the served state differs from the history's changes folded onto the first state: ${differing.length} images (${recorder.images.size} vs ${served.images.length}), e.g. ${JSON.stringify(examples)}`,
      );
    }
  }
  const hashes = new Set(served.images.map((image) => image.hash));
  if (hashes.size !== served.images.length) {
    failures.push(`${served.images.length - hashes.size} images share their content with another`);
  }
  const expected = initial.images.length + importedImages;
  if (served.images.length !== expected) {
    failures.push(
      `the dataset has ${served.images.length} images; ${initial.images.length} at the start and ${importedImages} imported make ${expected}`,
    );
  }
  return failures;
}

/** Every acknowledged op against the history, and what the ledger and recorder noticed. */
export function checkOps({ ledger, recorder, counts }) {
  const acknowledgements = checkAcknowledgements(ledger, recorder);
  const failures = [...acknowledgements.failures];
  if (acknowledgements.failures.overflow)
    failures.push(`... and ${acknowledgements.failures.overflow} more op failures`);
  const ledgerCounts = ledger.counts();
  if (ledgerCounts.pending > 0) failures.push(`${ledgerCounts.pending} ops were never answered`);
  for (const [code, count] of Object.entries(ledgerCounts.refusedBy)) {
    if (!EXPECTED_REFUSALS.has(code)) failures.push(`${count} ops were refused with ${code}`);
  }
  for (const regression of recorder.regressions) {
    failures.push(
      `after a restart the revision went back from ${regression.from} to ${regression.to}: acknowledged changes were lost`,
    );
  }
  for (const conflict of recorder.conflicts.slice(0, 10)) {
    failures.push(
      `revision ${conflict.revision} was served as two different changes: ${JSON.stringify(conflict.first)} and ${JSON.stringify(conflict.second)}`,
    );
  }
  for (const error of counts.serverErrors.slice(0, 20))
    failures.push(`a 5xx answer: ${JSON.stringify(error).slice(0, 500)}`);
  return { failures, figures: { ...ledgerCounts, ...acknowledgements.figures } };
}

/**
 * Sends the newest `count` acknowledged ops again with their client id and op id; a server that
 * remembers its idempotency keys (across a restart, in its snapshot) answers each with
 * `duplicate: true` and the revision of the first answer.
 */
export async function resendAcknowledged(base, ledger, count) {
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

/** Caption files, `GET /api/check` and temporary files of the settled, running dataset. */
export async function checkFiles({ base, dataset, images }) {
  const failures = [];
  const captions = await compareCaptions(dataset, images);
  for (const problem of captions.problems.slice(0, 20)) failures.push(`caption file: ${problem}`);
  const check = await requestJson(`${base}/api/check`, { timeoutMs: 120_000 });
  if (!check.ok || check.body.ok === false || check.body.passed === false) {
    failures.push(`GET /api/check: ${JSON.stringify(check.body).slice(0, 1000)}`);
  }
  const temporary = await findTemporaryFiles(dataset);
  if (temporary.length > 0)
    failures.push(`temporary files in the settled dataset: ${temporary.slice(0, 10).join(', ')}`);
  return { failures, captions };
}
