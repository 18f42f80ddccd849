import { afterAll, beforeAll } from 'vitest';

/**
 * The faults a fuzz test file watches for in its own process (the servers it fuzzes run in it),
 * and its clean-ups: registers the hooks that record every unhandled rejection and uncaught
 * exception while the file runs, and that run the clean-ups (newest first) at its end.
 */
export function watchFuzzProcess(): { faults: unknown[]; cleanUps: (() => Promise<void>)[] } {
  const faults: unknown[] = [];
  const cleanUps: (() => Promise<void>)[] = [];
  const recordFault = (error: unknown) => faults.push(error);
  beforeAll(() => {
    process.on('unhandledRejection', recordFault);
    process.on('uncaughtException', recordFault);
  });
  afterAll(async () => {
    process.off('unhandledRejection', recordFault);
    process.off('uncaughtException', recordFault);
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  });
  return { faults, cleanUps };
}
