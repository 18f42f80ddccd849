// Auto-tagging throughput: @civtag/autotag's whole pipeline (sharp decodes and preprocesses the
// next batch while onnxruntime runs this one on the tagger's worker thread, then the tags are
// selected) against onnxruntime's bare `InferenceSession.run` on tensors of the same images made
// before the clock starts, with the same model, batch size and session options. Two generated
// models: one of a real tagger's compute (the target's figure, and the peak memory of a fresh
// process), and a light one on which decoding outweighs inference, where the overlap of decoding
// with inference shows: one batch in flight against two, and decoding alone.
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
  'Auto-tagging realistic images (1–2 MP JPEG and PNG) with generated 448 px taggers, images/s';

const memoryProbe = join(dirname(fileURLToPath(import.meta.url)), '../probes/autotag-memory.mjs');
/** The input side of the WD v2/v3 taggers. */
const SIZE = 448;
/** @civtag/autotag's DEFAULT_BATCH_SIZE, named here so that the baseline uses the same. */
const BATCH_SIZE = 4;
const BARE = 'bare InferenceSession.run on pre-made tensors';
const TARGET = '≥ 0.9× bare session.run';

/** The generated models (`writeTestTagger`'s `compute`), with their multiply-adds per image. */
const MODELS = {
  heavy: {
    compute: 'heavy',
    gflops: 34.3,
    what: "a generated tagger of a real one's compute (~34 GFLOPs per image)",
    shape:
      'a VGG-like stack of 35 3×3 convolutions at 224² to 14² (32 to 512 channels, five of them ' +
      'stride 2), about 17.2 G multiply-adds per image: the order of the WD taggers (ConvNeXt, ' +
      'SwinV2 and ViT at 448 px take tens to over a hundred GFLOPs)',
  },
  light: {
    compute: 'realistic',
    gflops: 0.39,
    what: 'a light generated tagger (~390 MFLOPs per image, less than decoding an image costs)',
    shape:
      'four stride-2 3×3 convolutions (3→16→32→64→128 channels), about 195 M multiply-adds per ' +
      'image',
  },
};

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

async function peakMemory(mode, taggerFolder, imageFolder, count) {
  const output = await runJsonProcess(
    memoryProbe,
    [mode, taggerFolder, imageFolder, `${SIZE}`, `${count}`],
    { cwd: repositoryRoot },
  );
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
        target: { text: TARGET },
      }),
    ],
    notes: [],
  };
}

/**
 * Times `contenders` of the pipeline on `names` with the tagger `model`, interleaved, up to
 * `runs` times before `deadline`; resolves images/s and CPU ms per image of each.
 */
async function measureModel({ model, set, names, contenders, runs, deadline, modules, progress }) {
  const { loadTagger, writeTestTagger } = modules;
  const count = names.length;
  const paths = names.map((name) => join(set.folder, name));
  const taggerFolder = model.folder;
  await writeTestTagger(taggerFolder, { compute: model.compute, size: SIZE });
  const tagger = await loadTagger(taggerFolder);
  const onnxruntime = loadOnnxruntime();
  const session = await createBareSession(onnxruntime, tagger.modelPath);
  const samples = Object.fromEntries(contenders.map((name) => [name, []]));
  const cpuPerImage = Object.fromEntries(contenders.map((name) => [name, []]));
  const failures = [];
  let done = 0;
  try {
    progress(`${model.compute}: decoding ${count} images into tensors for the bare baseline`);
    const { batches } = await decodeBatches(set.folder, names, {
      size: tagger.inputSize,
      batchSize: BATCH_SIZE,
    });
    // One batch of each first: onnxruntime sizes its memory arenas on its first run.
    await runBareSession(onnxruntime, session, batches.slice(0, 1), tagger.inputSize);
    await tagAll(tagger, paths.slice(0, BATCH_SIZE), 2);
    const bodies = {
      pipeline: () => tagAll(tagger, paths, 2),
      bare: () => runBareSession(onnxruntime, session, batches, tagger.inputSize),
      single: () => tagAll(tagger, paths, 1),
      decode: () =>
        decodeBatches(set.folder, names, { size: tagger.inputSize, batchSize: BATCH_SIZE }),
    };
    done = await repeatRuns(runs, deadline, async (runIndex) => {
      // Rotate the order so that no contender always runs right after the same neighbour.
      const shift = runIndex % contenders.length;
      for (const name of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
        try {
          const { seconds, cpuSeconds } = await measure(bodies[name]);
          samples[name].push(count / seconds);
          cpuPerImage[name].push((cpuSeconds / count) * 1000);
        } catch (error) {
          failures.push(`${model.compute} ${name}: ${describeFailure(error)}`);
        }
      }
      progress(
        `${model.compute} run ${runIndex + 1}/${runs}: ` +
          contenders
            .map((name) => `${name} ${samples[name].at(-1)?.toFixed(2) ?? '—'}/s`)
            .join(', '),
      );
    });
  } finally {
    await tagger.close();
    await session.release();
  }
  return { samples, cpuPerImage, failures, done, runs };
}

/** "pipeline 32.9 ms (1.93 cores busy), …": CPU per image and how many cores it kept busy. */
function cpuNote({ samples, cpuPerImage }) {
  return Object.entries(cpuPerImage)
    .map(([name, values]) => {
      // CPU ms per image ÷ wall ms per image: how many cores the contender kept busy.
      const cores = (median(values) * median(samples[name])) / 1000;
      return `${name} ${median(values).toFixed(1)} ms (${cores.toFixed(2)} cores busy)`;
    })
    .join(', ');
}

export async function run({ profile, progress, workFolder }) {
  const set = await prepareImageSet(profile.autotagImages, { progress });
  const heavyNames = set.names.slice(0, profile.autotagHeavyImages);
  const describe = (names, model) =>
    `Tag ${names.length} images with ${MODELS[model].what}, batch ${BATCH_SIZE}`;
  let modules;
  try {
    const { loadTagger } = await loadAutotag(['loadTagger']);
    const { writeTestTagger } = await loadAutotagTesting(['writeTestTagger']);
    modules = { loadTagger, writeTestTagger };
  } catch (error) {
    return notMeasured(describe(heavyNames, 'heavy'), describeFailure(error));
  }
  const loadAtStart = loadavg();
  const cores = availableParallelism();
  const models = {
    heavy: { ...MODELS.heavy, folder: join(workFolder, 'tagger-heavy') },
    light: { ...MODELS.light, folder: join(workFolder, 'tagger-light') },
  };
  // The heavy model's runs take as long as the light one's: each gets half of the time left.
  const halfway = Date.now() + (profile.deadline - Date.now()) / 2;
  const heavy = await measureModel({
    model: models.heavy,
    set,
    names: heavyNames,
    contenders: ['pipeline', 'bare'],
    runs: profile.autotagHeavyRuns,
    deadline: halfway,
    modules,
    progress,
  });
  const light = await measureModel({
    model: models.light,
    set,
    names: set.names,
    contenders: ['pipeline', 'bare', 'single', 'decode'],
    runs: profile.autotagRuns,
    deadline: profile.deadline,
    modules,
    progress,
  });
  const loadAtEnd = loadavg();
  const ownPeakMB = (await processMemory(process.pid)).peakResidentMB;
  const failures = [...heavy.failures, ...light.failures];
  const memory = { pipeline: [], bare: [] };
  for (const mode of ['pipeline', 'bare']) {
    try {
      memory[mode].push(await peakMemory(mode, models.heavy.folder, set.folder, heavyNames.length));
    } catch (error) {
      failures.push(`memory of ${mode}: ${describeFailure(error)}`);
    }
  }
  const reasonFor = (compute) =>
    failures.find((line) => line.startsWith(`${compute} pipeline`)) ?? 'no run';
  const heavyWhat = describe(heavyNames, 'heavy');
  const lightWhat = describe(set.names, 'light');
  const rows = [
    compareRow({
      what: `${heavyWhat}, 2 batches in flight (the default), images/s`,
      unit: 'images/s',
      civtag: heavy.samples.pipeline,
      baseline: { name: `${BARE}, same batches`, samples: heavy.samples.bare },
      target: { text: TARGET, check: (_median, ratio) => ratio >= 0.9 },
    }),
    compareRow({
      what: `Peak resident memory of a fresh process tagging the ${heavyNames.length} images with the heavy tagger (VmHWM), MB`,
      unit: 'MB',
      civtag: memory.pipeline,
      baseline: { name: 'the bare session on one pre-made batch', samples: memory.bare },
    }),
    compareRow({
      what: `${lightWhat}, 2 batches in flight, images/s`,
      unit: 'images/s',
      civtag: light.samples.pipeline,
      baseline: { name: `${BARE}, same batches`, samples: light.samples.bare },
    }),
    compareRow({
      what: `${lightWhat}: 2 batches in flight (decode beside inference) against 1, images/s`,
      unit: 'images/s',
      civtag: light.samples.pipeline,
      baseline: { name: 'civtag, 1 batch in flight', samples: light.samples.single },
    }),
    compareRow({
      what: `${lightWhat}: the pipeline against its decoding alone, images/s`,
      unit: 'images/s',
      civtag: light.samples.pipeline,
      baseline: {
        name: 'sharp decode + preprocess alone, a batch at a time',
        samples: light.samples.decode,
      },
    }),
  ];
  if (!rows[0].civtag) rows[0].civtagNote = reasonFor('heavy');
  for (const row of rows.slice(2)) if (!row.civtag) row.civtagNote = reasonFor('realistic');
  // An image costs the pipeline at least the CPU of one bare inference plus one decode; with
  // every core busy that bounds its rate, and it cannot pass the bare session's rate either.
  const decodeCpu = median(light.cpuPerImage.decode);
  const ceiling = (measured) => {
    const cpuBound = (1000 * cores) / (median(measured.cpuPerImage.bare) + decodeCpu);
    return Math.min(cpuBound, median(measured.samples.bare));
  };
  const ceilingNote = (measured, name) => {
    const limit = ceiling(measured);
    const bare = median(measured.samples.bare);
    const reached = median(measured.samples.pipeline) / limit;
    return (
      `${name} ${limit.toFixed(2)} images/s, ${(limit / bare).toFixed(2)}× bare (the pipeline ` +
      `reached ${reached.toFixed(2)}× of it)`
    );
  };
  const average = (values) => values.map((value) => value.toFixed(2)).join(' ');
  const shortRuns = [heavy, light]
    .map((measured) => shortRunsNote(measured.done, measured.runs))
    .filter(Boolean);
  return {
    rows,
    notes: [
      ...shortRuns,
      `The heavy tagger: \`writeTestTagger(folder, { compute: 'heavy', size: ${SIZE} })\` of ` +
        `@civtag/autotag/testing, ${models.heavy.shape}. The light one: \`compute: 'realistic'\`, ` +
        `${models.light.shape}. Both sessions: CPU, all graph optimisations, one inter-op ` +
        "thread, onnxruntime's default intra-op threads (loadTagger without `threads`).",
      `CPU time per image (every thread of the process), median: heavy tagger ${cpuNote(heavy)}; ` +
        `light tagger ${cpuNote(light)}.`,
      `Decoding and inference share ${cores} cores: at best (every core busy, no CPU lost to ` +
        `the handing over) the pipeline reaches min(${cores} cores ÷ (bare + decode CPU per ` +
        `image), bare): ${ceilingNote(heavy, 'heavy tagger')}; ${ceilingNote(light, 'light tagger')}.`,
      `Load average at the benchmark's start ${average(loadAtStart)}, at its end ${average(loadAtEnd)}. ` +
        `This process's own peak resident memory: ${ownPeakMB.toFixed(0)} MB (it holds the ` +
        "baseline's pre-made tensors, 2.4 MB per image).",
      ...failures.map((line) => `A run failed: ${line}`),
    ],
  };
}
