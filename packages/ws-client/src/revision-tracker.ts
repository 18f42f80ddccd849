/**
 * The last revision the client has seen, and the rules that move it: a change counts only
 * when newer than anything seen (a replay after a reconnect may repeat some); a `welcome`
 * from another dataset, or from a server behind what the client saw, means start over.
 */
export class RevisionTracker {
  #revision: number | undefined;
  #datasetId: string | undefined;

  /** `since`: the revision the app's data is at, if it has any yet. */
  constructor(since: number | undefined) {
    this.#revision = since;
  }

  get revision(): number | undefined {
    return this.#revision;
  }

  /**
   * A server said `welcome`. Returns true when the app must reload: the server is at another
   * dataset, or at an older revision than the client saw (its state was lost or replaced).
   */
  welcome(datasetId: string, revision: number): boolean {
    const previousDataset = this.#datasetId;
    this.#datasetId = datasetId;
    const seen = this.#revision;
    if (seen === undefined) {
      this.#revision = revision;
      return false;
    }
    const startOver =
      (previousDataset !== undefined && previousDataset !== datasetId) || revision < seen;
    if (startOver) this.#revision = revision;
    return startOver;
  }

  /** A `change` at `revision`: true (and remembered) when newer than anything seen. */
  advance(revision: number): boolean {
    if (this.#revision !== undefined && revision <= this.#revision) return false;
    this.#revision = revision;
    return true;
  }

  /** The server said `reload`: the app fetches everything, current at `revision`. */
  reload(revision: number): void {
    this.#revision = revision;
  }
}
