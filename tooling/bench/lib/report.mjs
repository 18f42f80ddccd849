// Renders the results as Markdown tables and rewrites them in BENCHMARKS.md between markers,
// leaving every hand-written section of the file as it was.
import { readFile, writeFile } from 'node:fs/promises';

const PROFILES = ['quick', 'full'];

function markers(profile) {
  return { begin: `<!-- bench:${profile}:begin -->`, end: `<!-- bench:${profile}:end -->` };
}

/** Three significant figures, without exponent notation; '—' for a missing value. */
export function formatNumber(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

function formatSummary(summary, unit) {
  if (!summary) return null;
  const spread =
    summary.runs > 1
      ? ` (${formatNumber(summary.min)}–${formatNumber(summary.max)}, ${summary.runs} runs)`
      : ' (1 run)';
  return `**${formatNumber(summary.median)}**${unit ? ` ${unit}` : ''}${spread}`;
}

function formatStatus(row) {
  if (!row.civtag) return 'not measured';
  if (row.pass === true) return '✅ pass';
  if (row.pass === false) return '❌ fail';
  return '—';
}

function renderRow(row) {
  const civtag = formatSummary(row.civtag, row.unit) ?? `not measured: ${row.civtagNote}`;
  let baseline = '—';
  if (row.baseline) {
    const figure =
      formatSummary(row.baseline.summary, row.baseline.unit ?? row.unit) ??
      `not measured: ${row.baseline.note}`;
    baseline = `${row.baseline.name}: ${figure}`;
  }
  const ratio = Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}×` : '—';
  const cells = [row.what, civtag, baseline, ratio, row.target ?? '—', formatStatus(row)];
  return `| ${cells.map((cell) => String(cell).replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;
}

function renderSection(section) {
  const lines = [`### ${section.title}`, ''];
  if (section.failure) lines.push(`Not measured: ${section.failure}`, '');
  if (section.rows?.length) {
    lines.push(
      '| figure | civtag: median (min–max) | baseline, same run | ratio (civtag ÷ baseline) | target | |',
      '|---|---|---|---|---|---|',
      ...section.rows.map(renderRow),
      '',
    );
  }
  for (const note of section.notes ?? []) lines.push(`- ${note}`);
  if (section.notes?.length) lines.push('');
  lines.push(`<sub>${section.id}: ${formatNumber(section.seconds)} s of wall time</sub>`, '');
  return lines.join('\n');
}

/** The generated block for one profile: machine, date, then one table per benchmark. */
export function renderReport({
  profile,
  machine,
  sections,
  seconds,
  prepareSeconds = 0,
  loadAverageAtEnd,
}) {
  const lines = [
    `## Figures: ${profile} profile (\`pnpm bench${profile === 'full' ? ' --full' : ''}\`)`,
    '',
    `Measured ${machine.date} in ${formatNumber(seconds)} s on ${machine.cores} cores (${machine.cpuModel}), ` +
      `${machine.memoryGiB} GiB memory, Node ${machine.node} (${machine.platform}), ` +
      `disk ${machine.filesystem}, ${machine.sharp}. Load average at start ${machine.loadAverageAtStart}, ` +
      `at end ${loadAverageAtEnd}. Inputs (generated images and datasets, cached between runs) took ` +
      `${formatNumber(prepareSeconds)} s to find or build before that.`,
    '',
    'Every figure is the median of several runs with their min–max; the baseline ran in the same ' +
      'process tree, interleaved with civtag, so that the ratio survives a noisy machine. ' +
      'A latency figure is a percentile inside each run, then the median over runs.',
    '',
    ...sections.map(renderSection),
  ];
  return lines.join('\n').trimEnd();
}

function skeleton() {
  return [
    '# civtag benchmarks',
    '',
    'Run `pnpm bench` (quick profile, under 10 minutes on 2 cores) or `pnpm bench --full`.',
    'The tables between the markers are rewritten by `tooling/bench/run.mjs`; everything else is prose.',
    '',
    ...PROFILES.flatMap((profile) => {
      const { begin, end } = markers(profile);
      return [
        begin,
        `_Not run yet: \`pnpm bench${profile === 'full' ? ' --full' : ''}\`._`,
        end,
        '',
      ];
    }),
    '## Where civtag is far from its baseline, why, and what would close the gap',
    '',
    '_Written by hand after reading the tables._',
    '',
  ].join('\n');
}

/** Replaces the block of `profile` in the file at `path` (created if absent) with `markdown`. */
export async function rewriteBenchmarksFile(path, profile, markdown) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    text = skeleton();
  }
  const { begin, end } = markers(profile);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  const block = `${begin}\n${markdown}\n${end}`;
  if (start === -1 || stop === -1 || stop < start) {
    text = `${text.trimEnd()}\n\n${block}\n`;
  } else {
    text = text.slice(0, start) + block + text.slice(stop + end.length);
  }
  await writeFile(path, text);
}
