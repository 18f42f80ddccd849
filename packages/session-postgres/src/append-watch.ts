import pg from 'pg';

/** How {@link AppendWatch} listens. */
export interface AppendWatchOptions {
  /** The connection settings of the dedicated listening connection. */
  connection: pg.ClientConfig;
  /** The notification channel of the dataset. */
  channel: string;
  /** How often (ms) the dataset's head is read, in case a notification was missed. */
  pollIntervalMs: number;
  /** How long (ms) to wait before listening again after the connection was lost. */
  reconnectDelayMs: number;
  /** Reads the position of the dataset's last record (`undefined` when it cannot be read now). */
  readHead: () => Promise<number | undefined>;
  /** The position of the last record handed to the session. */
  cursor: () => number;
  /** Called when records after the cursor are (or may be) there. */
  onAppended: () => void;
}

/**
 * Tells the session that other writers stored records: by `LISTEN` on a dedicated connection
 * (each writer `NOTIFY`s the position it committed), listening again after the connection is
 * lost, and by reading the dataset's head every `pollIntervalMs`, which catches what a lost
 * connection missed. After listening again it reports at once: notifications sent while it was
 * away are gone.
 */
export class AppendWatch {
  private client: pg.Client | undefined;
  private poller: NodeJS.Timeout | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling = false;

  constructor(private readonly options: AppendWatchOptions) {}

  /** Starts listening and polling. Resolves once the first `LISTEN` was tried. */
  async start(): Promise<void> {
    await this.listen();
    this.poller = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.poller.unref();
  }

  /** The backend pid of the listening connection, while it is connected (for tests and logs). */
  listenerPid: number | undefined;

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      ...this.options.connection,
      application_name: 'civtag-listen',
      keepAlive: true,
    });
    let failed = false;
    const lost = () => {
      if (failed) return;
      failed = true;
      this.listenerPid = undefined;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel !== this.options.channel) return;
      const position = Number(message.payload);
      if (!Number.isFinite(position) || position > this.options.cursor()) this.options.onAppended();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.options.channel}"`);
      const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      this.listenerPid = pid.rows[0]?.pid;
    } catch {
      lost();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Whatever was notified while no one listened is read now.
    this.options.onAppended();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnect !== undefined) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.listen();
    }, this.options.reconnectDelayMs);
    this.reconnect.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const head = await this.options.readHead();
      if (head !== undefined && head > this.options.cursor()) this.options.onAppended();
    } finally {
      this.polling = false;
    }
  }

  /** Stops listening and polling. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearTimeout(this.reconnect);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
