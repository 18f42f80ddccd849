// Auto-tagging throughput: @civtag/autotag's whole pipeline (sharp decodes and preprocesses the
// next batch while onnxruntime runs this one on the tagger's worker thread, then the tags are
// selected) against onnxruntime's bare `InferenceSession.run` on tensors of the same images made
// before the clock starts, with the same model, batch size and session options. Also: one batch
// in flight against two (the overlap), decoding alone, and the peak memory of a fresh process.
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createBareSession,
  decodeBatches,
  loadOnnxruntime,
  runBareSession,
} from '../baselines/bare-inference.mjs';
import { loadAutotag, loadAutotagTesting, repositoryRoot } from '../lib/civtag-packages.mjs';
import { prepareImageSet } from '../lib/image-set.mjs';
import { runJsonProcess } from '../lib/json-process.mjs';
import { processMemory } from '../lib/process-memory.mjs';
import { repeatRuns, shortRunsNote } from '../lib/repeat-runs.mjs';
import { compareRow, describeFailure, notMeasuredRow } from '../lib/rows.mjs';
import { median } from '../lib/statistics.mjs';

export const id = 'autotag';
export const title =
  'Auto-tagging realistic images (1–2 MP JPEG and PNG) with a generated 448 px tagger, images/s';

const memoryProbe = join(dirname(fileURLToPath(import.meta.url)), '../probes/autotag-memory.mjs');
/** The input side of the WD v2/v3 taggers. */
const SIZE = 448;
/** @civtag/autotag's DEFAULT_BATCH_SIZE, named here so that the baseline uses the same. */
const BATCH_SIZE = 4;
const BARE = 'bare InferenceSession.run on pre-made tensors';

/** Seconds of wall and of CPU (every thread of this process) that `body` took. */
async function measure(body) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await body();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

async function tagAll(tagger, paths, batchesInFlight) {
  let tagged = 0;
  for await (const result of tagger.tag(paths, { batchSize: BATCH_SIZE, batchesInFlight })) {
    if (!result.ok) throw new Error(`${result.input}: ${result.error.message}`);
    tagged += 1;
  }
  if (tagged !== paths.length) throw new Error(`tagged ${tagged} of ${paths.length} images`);
}

async function peakMemory(mode, taggerFolder, imageFolder) {
  const output = await runJsonProcess(memoryProbe, [mode, taggerFolder, imageFolder, `${SIZE}`], {
    cwd: repositoryRoot,
  });
  return output.peakResidentMB;
}

function notMeasured(what, reason) {
  return {
    rows: [
      notMeasuredRow({
        what,
        unit: 'images/s',
        reason,
        baseline: {
          name: BARE,
          samples: [],
          note: 'needs the generated model of the same package',
        },
        target: { text: '≥ 0.9× bare session.run' },
      }),
    ],
    notes: [],
  };
}

export async function run({ profile, progress, workFolder }) {
  const set = await prepareImageSet(profile.autotagImages, { progress });
  const count = set.names.length;
  const paths = set.names.map((name) => join(set.folder, name));
  const what = `Tag ${count} images (${(set.bytes / 1e6).toFixed(0)} MB), batch ${BATCH_SIZE}`;
  let loadTagger;
  let writeTestTagger;
  try {
    ({ loadTagger } = await loadAutotag(['loadTagger']));
    ({ writeTestTagger } = await loadAutotagTesting(['writeTestTagger']));
  } catch (error) {
    return notMeasured(what, describeFailure(error));
  }
  const loadAtStart = loadavg();
  const taggerFolder = join(workFolder, 'tagger');
  await writeTestTagger(taggerFolder, { compute: 'realistic', size: SIZE });
  const tagger = await loadTagger(taggerFolder);
  const onnxruntime = loadOnnxruntime();
  const session = await createBareSession(onnxruntime, tagger.modelPath);
  const samples = { pipeline: [], single: [], bare: [], decode: [] };
  const cpuPerImage = { pipeline: [], single: [], bare: [], decode: [] };
  const failures = [];
  let runs = 0;
  try {
    progress(`decoding ${count} images into tensors for the bare baseline`);
    const { batches } = await decodeBatches(set.folder, set.names, {
      size: tagger.inputSize,
      batchSize: BATCH_SIZE,
    });
    // One batch of each first: onnxruntime sizes its memory arenas on its first run.
    await runBareSession(onnxruntime, session, batches.slice(0, 1), tagger.inputSize);
    await tagAll(tagger, paths.slice(0, BATCH_SIZE), 2);
    const contenders = {
      pipeline: () => tagAll(tagger, paths, 2),
      bare: () => runBareSession(onnxruntime, session, batches, tagger.inputSize),
      single: () => tagAll(tagger, paths, 1),
      decode: () =>
        decodeBatches(set.folder, set.names, { size: tagger.inputSize, batchSize: BATCH_SIZE }),
    };
    const order = Object.keys(contenders);
    runs = await repeatRuns(profile.autotagRuns, profile.deadline, async (runIndex) => {
      // Rotate the order so that no contender always runs right after the same neighbour.
      const shift = runIndex % order.length;
      for (const name of [...order.slice(shift), ...order.slice(0, shift)]) {
        try {
          const { seconds, cpuSeconds } = await measure(contenders[name]);
          samples[name].push(count / seconds);
          cpuPerImage[name].push((cpuSeconds / count) * 1000);
        } catch (error) {
          failures.push(`${name}: ${describeFailure(error)}`);
        }
      }
      progress(
        `run ${runIndex + 1}/${profile.autotagRuns}: ` +
          order.map((name) => `${name} ${samples[name].at(-1)?.toFixed(1) ?? '—'}/s`).join(', '),
      );
    });
  } finally {
    await tagger.close();
    await session.release();
  }
  const loadAtEnd = loadavg();
  const cores = availableParallelism();
  const ownPeakMB = (await processMemory(process.pid)).peakResidentMB;
  const memory = { pipeline: [], bare: [] };
  for (const mode of ['pipeline', 'bare']) {
    try {
      memory[mode].push(await peakMemory(mode, taggerFolder, set.folder));
    } catch (error) {
      failures.push(`memory of ${mode}: ${describeFailure(error)}`);
    }
  }
  const reason = failures.find((line) => line.startsWith('pipeline')) ?? 'no run';
  const rows = [
    compareRow({
      what: `${what}, 2 batches in flight (the default), images/s`,
      unit: 'images/s',
      civtag: samples.pipeline,
      baseline: { name: `${BARE}, same batches`, samples: samples.bare },
      target: { text: '≥ 0.9× bare session.run', check: (_median, ratio) => ratio >= 0.9 },
    }),
    compareRow({
      what: `${what}: 2 batches in flight (decode beside inference) against 1, images/s`,
      unit: 'images/s',
      civtag: samples.pipeline,
      baseline: { name: 'civtag, 1 batch in flight', samples: samples.single },
    }),
    compareRow({
      what: `${what}: the pipeline against its decoding alone, images/s`,
      unit: 'images/s',
      civtag: samples.pipeline,
      baseline: {
        name: 'sharp decode + preprocess alone, a batch at a time',
        samples: samples.decode,
      },
    }),
    compareRow({
      what: `Peak resident memory of a fresh process tagging the ${count} images (VmHWM), MB`,
      unit: 'MB',
      civtag: memory.pipeline,
      baseline: { name: 'the bare session on one pre-made batch', samples: memory.bare },
    }),
  ];
  for (const row of rows.slice(0, 3)) if (!row.civtag) row.civtagNote = reason;
  const cpuNote = Object.entries(cpuPerImage)
    .map(([name, values]) => {
      // CPU ms per image ÷ wall ms per image: how many cores the contender kept busy.
      const cores = (median(values) * median(samples[name])) / 1000;
      return `${name} ${median(values).toFixed(1)} ms (${cores.toFixed(2)} cores busy)`;
    })
    .join(', ');
  // An image costs the pipeline at least the CPU of one bare inference plus one decode; with
  // every core busy that bounds its rate, and it cannot pass the bare session's rate either.
  const cpuBound = (1000 * cores) / (median(cpuPerImage.bare) + median(cpuPerImage.decode));
  const ceiling = Math.min(cpuBound, median(samples.bare));
  const average = (values) => values.map((value) => value.toFixed(2)).join(' ');
  const shortRuns = shortRunsNote(runs, profile.autotagRuns);
  return {
    rows,
    notes: [
      ...(shortRuns ? [shortRuns] : []),
      `The model: \`writeTestTagger(folder, { compute: 'realistic', size: ${SIZE} })\` of ` +
        '@civtag/autotag/testing, four stride-2 3×3 convolutions (3→16→32→64→128 channels), about ' +
        '390 MFLOPs per image; the WD v3 taggers cost tens of GFLOPs per image, so decoding weighs ' +
        'far less beside them than here. Both sessions: CPU, all graph optimisations, one ' +
        "inter-op thread, onnxruntime's default intra-op threads (loadTagger without `threads`).",
      `CPU time per image (every thread of the process), median: ${cpuNote}.`,
      `Decoding and inference share ${cores} cores: at best (every core busy, no CPU lost to the ` +
        `handing over) the pipeline reaches min(${cores} cores ÷ (bare + decode CPU per image), ` +
        `bare) = ${ceiling.toFixed(1)} images/s, ${(ceiling / median(samples.bare)).toFixed(2)}× bare; ` +
        `the pipeline reached ${(median(samples.pipeline) / ceiling).toFixed(2)}× that.`,
      `Load average at the benchmark's start ${average(loadAtStart)}, at its end ${average(loadAtEnd)}. ` +
        `This process's own peak resident memory: ${ownPeakMB.toFixed(0)} MB (it holds the ` +
        "baseline's pre-made tensors, 2.4 MB per image).",
      ...failures.map((line) => `A run failed: ${line}`),
    ],
  };
}
