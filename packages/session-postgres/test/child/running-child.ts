import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process running the bundled session script, with its stdout as lines. */
export interface RunningChild {
  process: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /**
   * Resolves with the first line (already printed or to come) that `match` accepts, looking
   * only at lines from index `from` on (default 0).
   */
  waitForLine(match: (line: string) => boolean, from?: number): Promise<string>;
  /** Resolves once the process has exited and its output has been read to the end. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stderr. */
  stderr(): string;
}

/** Starts `node <bundle> ...args`. */
export function startChild(bundle: string, args: readonly string[]): RunningChild {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  type Waiter = { match: (line: string) => boolean; from: number; resolve: (line: string) => void };
  const waiters = new Set<Waiter>();
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) {
      if (lines.length - 1 < waiter.from || !waiter.match(line)) continue;
      waiters.delete(waiter);
      waiter.resolve(line);
    }
  });
  // 'close', not 'exit': only then has every line the process wrote been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    stderr: () => errors,
    waitForLine(match, from = 0) {
      const found = lines.slice(from).find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.add({ match, from, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`child exited (${code ?? signal}) before the line; stderr: ${errors}`)),
        );
      });
    },
  };
}
