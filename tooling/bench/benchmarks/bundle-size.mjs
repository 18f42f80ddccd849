// The browser bundle of @civtag/ws-client (zod included), minified and gzipped, measured by the
// package's own script; beside it, the same script on an entry that holds only the protocol
// codec it cannot do without (ws-protocol's encode/decode and their zod schemas).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireFile } from '../lib/civtag-packages.mjs';
import { compareRow, describeFailure } from '../lib/rows.mjs';

export const id = 'bundle-size';
export const title = '@civtag/ws-client browser bundle (esbuild, minified, zod included), KB';

const execute = promisify(execFile);

async function measure(script, entry) {
  const { stdout } = await execute(process.execPath, entry ? [script, entry] : [script], {
    timeout: 120_000,
  });
  const line = stdout.trim().split('\n').at(-1);
  const { minified, gzipped } = JSON.parse(line);
  if (!Number.isFinite(minified) || !Number.isFinite(gzipped))
    throw new Error(`unexpected output: ${line}`);
  return { minified: minified / 1000, gzipped: gzipped / 1000 };
}

export async function run({ progress, workFolder }) {
  let civtag = null;
  let baseline = null;
  let reason = null;
  let baselineReason = null;
  try {
    const script = await requireFile(
      'packages/ws-client/scripts/bundle-size.mjs',
      'the ws-client bundle-size script',
    );
    civtag = await measure(script);
    try {
      const entry = join(workFolder, 'codec-only.ts');
      // The bundle-size script resolves the workspace package to its sources; the bench never
      // imports it, it only names it in the entry it writes.
      const codecPackage = '@civtag/ws-protocol';
      await writeFile(entry, `export { decodeServerFrame, encodeFrame } from '${codecPackage}';\n`);
      baseline = await measure(script, entry);
    } catch (error) {
      baselineReason = describeFailure(error);
    }
  } catch (error) {
    reason = describeFailure(error);
  }
  progress(`ws-client ${civtag?.gzipped ?? '—'} KB gzipped`);
  const codec = 'ws-protocol codec alone';
  const rows = [
    compareRow({
      what: 'ws-client, minified + gzipped',
      unit: 'KB',
      civtag: civtag ? [civtag.gzipped] : [],
      baseline: { name: codec, samples: baseline ? [baseline.gzipped] : [], note: baselineReason },
      target: { text: '< 20 KB', check: (median) => median < 20 },
    }),
    compareRow({
      what: 'ws-client, minified',
      unit: 'KB',
      civtag: civtag ? [civtag.minified] : [],
      baseline: { name: codec, samples: baseline ? [baseline.minified] : [], note: baselineReason },
    }),
  ];
  for (const row of rows) if (!row.civtag) row.civtagNote = reason;
  return {
    rows,
    notes: ['KB = 1,000 bytes; gzip level 9. Sizes do not vary between runs, so one run each.'],
  };
}
