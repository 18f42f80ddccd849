// A script or second tool using the HTTP API: reads of every kind, and ops with an idempotency
// key (client id + op id) that it sends again, with the same key, until the server answers,
// however often the server is killed under it; now and then an undo or redo.
import { requestJson } from './http-json.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs until `stop()`. Answers of 500 and above are kept in `counts.serverErrors`.
 */
export function startHttpActor({ name, base, ledger, maker, model, random, meanGapMs, counts }) {
  let running = true;

  function noteServerError(what, answer) {
    counts.serverErrors.push({
      what,
      status: answer.status,
      body: answer.body,
      at: new Date().toISOString(),
    });
  }

  /** Posts until answered (or until the soak's end gives up on it). */
  async function postOp(path, body, entry, deadline) {
    while (Date.now() < deadline()) {
      const answer = await requestJson(`${base()}${path}`, { method: 'POST', body });
      if (answer.ok) {
        ledger.acked(entry, answer.body.revision, answer.body.duplicate === true);
        return;
      }
      if (answer.status >= 500) noteServerError(`POST ${path} ${entry.opId}`, answer);
      else if (answer.status >= 400) {
        ledger.refused(
          entry,
          answer.body?.error?.code ?? `HTTP_${answer.status}`,
          answer.body?.error?.message,
        );
        return;
      } else counts.httpRetries += 1;
      await sleep(200);
    }
  }

  async function read() {
    const ids = [...model.images.keys()];
    const roll = random.next();
    let path;
    if (roll < 0.3)
      path = `/api/images?limit=${random.integer(20, 200)}&offset=${random.integer(0, ids.length)}`;
    else if (roll < 0.45) path = `/api/images/${random.pick(ids)}`;
    else if (roll < 0.6) path = '/api/tags';
    else if (roll < 0.7) path = '/api/dataset';
    else if (roll < 0.8)
      path = `/api/changes?since=${Math.max(0, model.revision - random.integer(0, 50))}`;
    else if (roll < 0.9)
      path = `/api/images?limit=50&q=${encodeURIComponent(random.pick(['smile', 'solo', 'red hair', 'has:near-duplicates']))}`;
    else path = `/api/images/${random.pick(ids)}/thumb`;
    if (path.endsWith('/thumb')) {
      try {
        const response = await fetch(`${base()}${path}`, { signal: AbortSignal.timeout(15_000) });
        await response.arrayBuffer();
        counts.reads += 1;
        if (response.status >= 500) noteServerError(`GET ${path}`, { status: response.status });
      } catch {
        counts.readsWithoutAnswer += 1;
      }
      return;
    }
    const answer = await requestJson(`${base()}${path}`);
    if (answer.status === 0) counts.readsWithoutAnswer += 1;
    else counts.reads += 1;
    if (answer.status >= 500) noteServerError(`GET ${path}`, answer);
  }

  const loop = (async () => {
    const forever = () => (running ? Number.POSITIVE_INFINITY : stopDeadline);
    while (running) {
      const roll = random.next();
      if (roll < 0.5) await read();
      else if (roll < 0.95) {
        const made = maker.small();
        const entry = ledger.sent({
          clientId: name,
          kind: made.kind,
          verifiable: made.verifiable,
          channel: 'http',
          request: { path: '/api/ops', body: { op: made.op } },
        });
        await postOp('/api/ops', { op: made.op, clientId: name, opId: entry.opId }, entry, forever);
      } else {
        const kind = random.chance(0.6) ? 'undo' : 'redo';
        const entry = ledger.sent({
          clientId: name,
          kind,
          verifiable: false,
          channel: 'http',
          request: { path: `/api/${kind}`, body: {} },
        });
        await postOp(`/api/${kind}`, { clientId: name, opId: entry.opId }, entry, forever);
      }
      await sleep(random.between(0, 2 * meanGapMs));
    }
  })();
  let stopDeadline = 0;

  return {
    /** Stops after the request in flight; an op in flight gets `graceMs` more to be answered. */
    stop(graceMs = 60_000) {
      stopDeadline = Date.now() + graceMs;
      running = false;
      return loop;
    },
  };
}
