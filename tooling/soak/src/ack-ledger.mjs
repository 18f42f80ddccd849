// Every op the soak's clients send, and what became of it: acknowledged with a revision,
// refused with a code, or still waiting. The checks hold the acknowledgements against the
// history the server served.

/** Codes a server may rightly refuse a soak op with (a tag already gone, nothing to undo). */
export const EXPECTED_REFUSALS = new Set(['NOT_FOUND', 'CONFLICT', 'VALIDATION']);

export class AckLedger {
  /** `${clientId} ${opId}` → entry */
  entries = new Map();
  #sequence = new Map();

  /**
   * Notes an op about to be sent by `clientId`. `verifiable` ops always change something (they
   * add a tag never used before), so the history must show them at their revision.
   */
  sent({ clientId, kind, verifiable, channel, request }) {
    const sequence = (this.#sequence.get(clientId) ?? 0) + 1;
    this.#sequence.set(clientId, sequence);
    const entry = {
      clientId,
      opId: `op-${sequence}`,
      sequence,
      kind,
      verifiable,
      channel,
      sentAt: Date.now(),
      state: 'pending',
    };
    // How to send it again over HTTP with the same key.
    if (request !== undefined) {
      entry.request = { path: request.path, body: { ...request.body, clientId, opId: entry.opId } };
    }
    this.entries.set(`${clientId} ${entry.opId}`, entry);
    return entry;
  }

  acked(entry, revision, duplicate = false) {
    if (entry.state === 'acked' && entry.revision !== revision) {
      entry.reackedDifferently = revision;
    }
    entry.state = 'acked';
    entry.revision = revision;
    entry.duplicate = duplicate;
    entry.ackedAt = Date.now();
  }

  refused(entry, code, message) {
    entry.state = 'refused';
    entry.code = code;
    entry.message = message;
  }

  counts() {
    const counts = {
      sent: 0,
      acked: 0,
      refused: 0,
      pending: 0,
      ackedAsDuplicate: 0,
      refusedBy: {},
    };
    for (const entry of this.entries.values()) {
      counts.sent += 1;
      counts[entry.state] += 1;
      if (entry.state === 'acked' && entry.duplicate) counts.ackedAsDuplicate += 1;
      if (entry.state === 'refused')
        counts.refusedBy[entry.code] = (counts.refusedBy[entry.code] ?? 0) + 1;
    }
    return counts;
  }
}

/** Whether `revision` lies in one of the recorder's gaps (a change there could not be seen). */
function inGap(gaps, revision) {
  return gaps.some((gap) => revision >= gap.from && revision <= gap.to);
}

/**
 * Holds the ledger against the recorded history. Returns `{ failures, figures }`: a failure for
 * an acknowledged op whose revision shows another op, for an op applied twice (its key at two
 * revisions), for an op shown in the history that was refused or never acknowledged, for a
 * verifiable op missing at its revision, and for a client whose acknowledged revisions do not
 * rise in the order it sent its ops.
 */
export function checkAcknowledgements(ledger, recorder) {
  const failures = [];
  const byKey = new Map();
  for (const change of recorder.changes.values()) {
    if (change.clientId === undefined || change.opId === undefined) continue;
    const key = `${change.clientId} ${change.opId}`;
    const list = byKey.get(key) ?? [];
    list.push(change.revision);
    byKey.set(key, list);
  }
  let confirmed = 0;
  let unobserved = 0;
  let withoutNews = 0;
  const add = (message) => {
    if (failures.length < 200) failures.push(message);
    else failures.overflow = (failures.overflow ?? 0) + 1;
  };
  for (const [key, revisions] of byKey) {
    if (revisions.length > 1)
      add(`op ${key} was applied ${revisions.length} times: revisions ${revisions.join(', ')}`);
    const entry = ledger.entries.get(key);
    if (entry === undefined) continue;
    if (entry.state === 'refused')
      add(
        `op ${key} (${entry.kind}) was refused with ${entry.code} but applied at revision ${revisions[0]}`,
      );
    else if (entry.state === 'pending')
      add(
        `op ${key} (${entry.kind}) was applied at revision ${revisions[0]} but never acknowledged`,
      );
  }
  const lastRevisionOf = new Map();
  const ordered = [...ledger.entries.values()].sort((a, b) => a.sequence - b.sequence);
  for (const entry of ordered) {
    const key = `${entry.clientId} ${entry.opId}`;
    if (entry.reackedDifferently !== undefined)
      add(
        `op ${key} was acknowledged with revision ${entry.revision} and, resent, with ${entry.reackedDifferently}`,
      );
    if (entry.state !== 'acked') continue;
    const change = recorder.changes.get(entry.revision);
    if (change !== undefined) {
      if (change.clientId !== entry.clientId || change.opId !== entry.opId) {
        add(
          `op ${key} (${entry.kind}) was acknowledged with revision ${entry.revision}, but that revision is ${change.clientId ?? change.origin} ${change.opId ?? ''}`.trim(),
        );
      } else confirmed += 1;
    } else if (inGap(recorder.gaps, entry.revision)) unobserved += 1;
    else if (entry.verifiable)
      add(
        `op ${key} (${entry.kind}) was acknowledged with revision ${entry.revision}, but the history has no change there`,
      );
    else withoutNews += 1;
    const last = lastRevisionOf.get(entry.clientId);
    if (last !== undefined && entry.revision <= last.revision) {
      add(
        `client ${entry.clientId}: op ${entry.opId} was acknowledged with revision ${entry.revision}, not after its earlier op ${last.opId} (revision ${last.revision})`,
      );
    }
    lastRevisionOf.set(entry.clientId, { revision: entry.revision, opId: entry.opId });
  }
  return {
    failures,
    figures: {
      confirmedInHistory: confirmed,
      unobservedInGaps: unobserved,
      ackedWithoutNews: withoutNews,
    },
  };
}
