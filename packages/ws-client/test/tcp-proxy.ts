import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface TcpProxyOptions {
  /**
   * Cuts each connection after a random number of bytes (both directions counted) between
   * these bounds, forwarding only part of the chunk that crosses the line: frames get torn.
   */
  cutAfterBytes?: { min: number; max: number };
  /** The random source of the cuts (seed it to replay a failure). */
  random?: () => number;
}

/**
 * A TCP proxy on port 0 in front of `targetPort`, to make real network faults: connections
 * cut at random, connections that silently stop forwarding, and refused connections.
 */
export async function startTcpProxy(targetPort: number, options: TcpProxyOptions = {}) {
  const random = options.random ?? Math.random;
  const pairs = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();
  let refusing = false;
  let drops = 0;

  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    // As `ws` does: without it, Nagle's algorithm and delayed ACKs stall small frames.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair = { client, upstream, silent: false };
    const cut = options.cutAfterBytes;
    let budget =
      cut === undefined ? Infinity : cut.min + Math.floor(random() * (cut.max - cut.min));
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (pair.silent) return;
      if (chunk.byteLength > budget) {
        drops++;
        to.write(chunk.subarray(0, budget), end);
        budget = 0;
        return;
      }
      budget -= chunk.byteLength;
      to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    /** How many connections were cut at random. */
    get drops(): number {
      return drops;
    },
    /** The open connections stop forwarding anything, in silence (no FIN, no RST). New ones work. */
    silenceOpenConnections(): void {
      for (const pair of pairs) pair.silent = true;
    },
    /** Cuts every open connection. */
    cutAll(): void {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    /** While true, new connections are cut as soon as they arrive. */
    refuse(value: boolean): void {
      refusing = value;
    },
    async close(): Promise<void> {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TcpProxy = Awaited<ReturnType<typeof startTcpProxy>>;

/** A small seeded PRNG (mulberry32), so a random run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let value = seed >>> 0;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let mixed = value;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
