import path from 'node:path';

/** The files of a session inside its folder. */
export interface SessionFiles {
  dir: string;
  /** The current snapshot. */
  snapshot: string;
  /** The snapshot before it, kept for a person to fall back on. */
  previousSnapshot: string;
  /** Entries since the current snapshot. */
  journal: string;
  /** The journal that led from the previous snapshot to the current one. */
  previousJournal: string;
  /** Who holds the session. */
  lock: string;
}

/** The names of the session files in `dir`. */
export function sessionFiles(dir: string): SessionFiles {
  const folder = path.resolve(dir);
  return {
    dir: folder,
    snapshot: path.join(folder, 'session.json'),
    previousSnapshot: path.join(folder, 'session.json.prev'),
    journal: path.join(folder, 'journal.jsonl'),
    previousJournal: path.join(folder, 'journal.jsonl.prev'),
    lock: path.join(folder, 'lock'),
  };
}
