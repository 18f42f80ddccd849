#!/usr/bin/env node
// The long version of the session's kill tests: many more SIGKILLs at random moments and lock
// races than CI runs. Runs the same vitest files with larger counts.
//
//   node packages/session/test/soak.mjs [--kills 600] [--races 300]
//
// Exits 0 when every round passed; prints one JSON object on its last stdout line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { kills: { type: 'string', default: '600' }, races: { type: 'string', default: '300' } },
});
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const started = performance.now();
const child = spawn(
  'npx',
  [
    'vitest',
    'run',
    '--project',
    'session',
    'test/crash-recovery.test.ts',
    'test/lock-race.test.ts',
  ],
  {
    cwd: repositoryRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      CIVTAG_SESSION_KILLS: values.kills,
      CIVTAG_SESSION_RACES: values.races,
      CIVTAG_SESSION_KILL_EVERY: '1',
    },
  },
);
const code = await new Promise((resolve) =>
  child.once('exit', (exitCode) => resolve(exitCode ?? 1)),
);
const summary = {
  soak: '@civtag/session',
  kills: Number(values.kills),
  races: Number(values.races),
  passed: code === 0,
  seconds: Math.round((performance.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(code);
