// The dataset a soak starts from: the corpus's PNG suite and images of the soak's own,
// imported by the command line as a user would.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { copyCorpus } from '@civtag/test-corpus';
import { soakPng } from './png-image.mjs';
import { cliPath } from './server-process.mjs';

/** Runs the bundled `civtag` with `args`: `{ code, stdout, stderr }`, whatever the code. */
export async function runCivtag(args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
  }
}

/**
 * Makes `<workDir>/dataset` with `civtag import` of the PNG suite and `ownImages` generated
 * images; resolves the import's JSON result.
 * @throws Error when the import fails as a whole.
 */
export async function makeSoakDataset(workDir, ownImages = 120) {
  const source = path.join(workDir, 'source');
  const dataset = path.join(workDir, 'dataset');
  await mkdir(path.join(source, 'own'), { recursive: true });
  await copyCorpus('pngsuite', source);
  for (let index = 0; index < ownImages; index += 1) {
    await writeFile(path.join(source, 'own', `own-${index}.png`), soakPng(index));
  }
  const made = await runCivtag([
    'import',
    source,
    '--out',
    dataset,
    '--prefix',
    'soak',
    '--recursive',
    '--json',
  ]);
  let result;
  try {
    result = JSON.parse(made.stdout);
  } catch {
    result = undefined;
  }
  if (made.code !== 0 && result?.ok !== true) {
    throw new Error(
      `civtag import of the soak's dataset failed (${made.code}): ${made.stdout}${made.stderr}`,
    );
  }
  return { dataset, importResult: result };
}
