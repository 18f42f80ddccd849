import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const script = path.join(repositoryRoot, 'tooling/soak/src/run-soak.mjs');
const cli = path.join(repositoryRoot, 'apps/server/dist/cli.js');
// CI runs a short soak; CIVTAG_SOAK_MINUTES makes it longer (or shorter while working on it).
const minutes = Number(process.env.CIVTAG_SOAK_MINUTES ?? 2);

let folder: string | undefined;
afterAll(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

interface SoakResult {
  passed: boolean;
  failures: string[];
  server?: { kills: number; restarts: number };
  ops?: { acked: number; confirmedInHistory: number };
}

describe('civtag under a soak of kills, flaky connections and concurrent edits', () => {
  it(
    'applies every acknowledged op once and in order, keeps captions equal to the state and leaves no temporary file',
    async () => {
      if (!existsSync(cli)) {
        throw new Error(
          `${cli} is missing: run "pnpm build" (or "pnpm test", which builds first) before the soak.`,
        );
      }
      folder = await mkdtemp(path.join(tmpdir(), 'civtag-soak-test-'));
      const out = path.join(folder, 'soak.json');
      const child = spawn(process.execPath, [script, '--minutes', String(minutes), '--out', out], {
        cwd: repositoryRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      const result = JSON.parse(await readFile(out, 'utf8')) as SoakResult;
      // The failures, and the summary around them, are the message when the soak fails.
      expect({ passed: result.passed, failures: result.failures }, output).toEqual({
        passed: true,
        failures: [],
      });
      expect(code).toBe(0);
      expect(result.server?.kills).toBeGreaterThanOrEqual(2);
      expect(result.server?.restarts).toBe(result.server?.kills);
      expect(result.ops?.confirmedInHistory).toBeGreaterThan(0);
    },
    (minutes * 60 + 180) * 1000,
  );
});
