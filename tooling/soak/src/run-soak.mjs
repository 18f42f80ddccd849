#!/usr/bin/env node
// `pnpm soak --minutes N`: runs civtag's server under kills, flaky connections, concurrent edits,
// imports and bulk ops for N minutes, then checks that every acknowledged op was applied once
// and in order, that the caption files equal the state, that no temporary file is left and that
// memory, file descriptors and event-loop delay stay flat. Prints a summary, writes the result
// as JSON (--out), and exits 0 only when every check passed.
//
//   node tooling/soak/src/run-soak.mjs [--minutes 3] [--clients 20] [--http-clients 3]
//     [--seed 1] [--kill-every-s 60-120] [--allowed-edit-losses 0] [--out soak.json] [--keep]
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { cliPath } from './server-process.mjs';
import { runSoak } from './soak.mjs';
import { summarise } from './summary.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: process.env.CIVTAG_SOAK_MINUTES ?? '3' },
    clients: { type: 'string', default: '20' },
    'http-clients': { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    'kill-every-s': { type: 'string' },
    'allowed-edit-losses': { type: 'string', default: '0' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

function usage(message) {
  console.error(
    `${message}\nUsage: pnpm soak [--minutes N] [--clients C] [--http-clients H] [--seed S] [--kill-every-s LOW-HIGH] [--allowed-edit-losses N] [--out FILE] [--keep]`,
  );
  process.exit(2);
}

const minutes = Number(values.minutes);
if (!(minutes > 0)) usage(`--minutes must be a positive number; got ${values.minutes}.`);
const clients = Number(values.clients);
const httpClients = Number(values['http-clients']);
if (!Number.isInteger(clients) || clients < 1)
  usage(`--clients must be a whole number of at least 1; got ${values.clients}.`);
if (!Number.isInteger(httpClients) || httpClients < 0)
  usage(`--http-clients must be a whole number; got ${values['http-clients']}.`);
// Every minute or two on a long run; every 20-40 s on a short one, so that it still sees kills.
let killEveryS = minutes < 5 ? [20, 40] : [60, 120];
if (values['kill-every-s'] !== undefined) {
  const parts = values['kill-every-s'].split('-').map(Number);
  killEveryS = parts.length === 1 ? [parts[0], parts[0]] : parts;
  if (
    killEveryS.length !== 2 ||
    !killEveryS.every((part) => part > 0) ||
    killEveryS[0] > killEveryS[1]
  )
    usage(`--kill-every-s takes seconds, N or LOW-HIGH; got ${values['kill-every-s']}.`);
}
const allowedEditLosses = Number(values['allowed-edit-losses']);
if (!Number.isInteger(allowedEditLosses) || allowedEditLosses < 0)
  usage(`--allowed-edit-losses must be a whole number; got ${values['allowed-edit-losses']}.`);
if (!existsSync(cliPath))
  usage(`${cliPath} is missing: run "pnpm soak" (it builds first) or "pnpm build".`);

const options = {
  minutes,
  clients,
  httpClients,
  seed: values.seed,
  killEveryS,
  allowedEditLosses,
  keepWorkDir: values.keep,
};
const log = (line) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
let result;
try {
  result = await runSoak({ ...options, log });
} catch (error) {
  result = { passed: false, failures: [`the soak stopped: ${error?.stack ?? error}`], options };
}
console.log(summarise(result));
if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
process.exit(result.passed ? 0 : 1);
