#!/usr/bin/env node
// The session's own benchmark: open, one-op apply latency, a bulk op over every image, compaction
// and journal bytes per op, for a dataset-like state of N images with 25 tags each. Baselines in
// the same run: readFile + JSON.parse of the snapshot (the floor under open), a bare append +
// fdatasync of the same line (the floor under `apply`) and rewriting the whole state atomically
// per edit (what the journal avoids).
//
//   node packages/session/bench/session-bench.mjs [--images N]... [--ops N]
//
// Prints one JSON object on its last stdout line. Needs the package built (`pnpm build`).
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@civtag/core-fs';
import * as z from 'zod/mini';
import { openSession } from '../dist/index.js';

const TAGS_PER_IMAGE = 25;
const VOCABULARY = Array.from({ length: 3000 }, (_, index) => `tag_${index.toString(36)}_word`);

const ImageSchema = z.object({
  id: z.string(),
  file: z.string(),
  tags: z.array(z.string()),
  rev: z.number(),
  excluded: z.boolean(),
});
const StateSchema = z.object({ images: z.record(z.string(), ImageSchema) });
const EntrySchema = z.union([
  z.object({ type: z.literal('set'), id: z.string(), tags: z.array(z.string()) }),
  z.object({ type: z.literal('add'), ids: z.array(z.string()), tag: z.string() }),
  z.object({ type: z.literal('add'), all: z.literal(true), tag: z.string() }),
]);

function initialState(count) {
  const images = {};
  for (let index = 0; index < count; index += 1) {
    const id = `img_${index.toString().padStart(6, '0')}`;
    const tags = Array.from(
      { length: TAGS_PER_IMAGE },
      (_, tag) => VOCABULARY[(index * 7 + tag * 13) % VOCABULARY.length],
    );
    images[id] = { id, file: `bench_${index}.png`, tags, rev: 0, excluded: false };
  }
  return { images };
}

/** Adds a tag to the target without touching the state until `commit`; result: images changed. */
function reduce(state, entry) {
  if (entry.type === 'set') {
    const image = state.images[entry.id];
    if (image === undefined) throw new Error(`no image ${entry.id}`);
    return {
      result: 1,
      commit: () => {
        image.tags = [...entry.tags];
      },
    };
  }
  const ids = entry.all === true ? Object.keys(state.images) : entry.ids;
  const targets = ids
    .map((id) => state.images[id])
    .filter((image) => !image.tags.includes(entry.tag));
  return {
    result: targets.length,
    commit: () => {
      for (const image of targets) image.tags.push(entry.tag);
    },
  };
}

function options(dir, count) {
  return {
    dir,
    schema: StateSchema,
    entrySchema: EntrySchema,
    version: 1,
    initial: () => initialState(count),
    reduce,
    journalBound: 1_000_000,
    journalByteBound: 1024 ** 3,
  };
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

const round = (value) => Math.round(value * 1000) / 1000;

async function time(work) {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function journalBytes(dir) {
  return (await stat(join(dir, 'journal.jsonl'))).size;
}

async function measure(count, ops) {
  const dir = await mkdtemp(join(tmpdir(), 'civtag-session-bench-'));
  try {
    const created = await openSession(options(dir, count));
    const firstCompact = await time(() => created.close());
    globalThis.gc?.();
    const parsed = await time(async () =>
      JSON.parse(await readFile(join(dir, 'session.json'), 'utf8')),
    );
    parsed.value = undefined;
    globalThis.gc?.();
    const opened = await time(() => openSession(options(dir, count)));
    const session = opened.value;
    const ids = Object.keys(session.state.images);
    const latencies = [];
    for (let index = 0; index < ops; index += 1) {
      const id = ids[(index * 7919) % ids.length];
      const tags = [...session.state.images[id].tags.slice(1), `edit_${index}`];
      const { ms } = await time(() => session.apply({ type: 'set', id, tags }));
      latencies.push(ms);
    }
    const singleOpBytes = (await journalBytes(dir)) / ops;
    latencies.sort((left, right) => left - right);
    const beforeBulk = await journalBytes(dir);
    const bulkIds = await time(() => session.apply({ type: 'add', ids, tag: 'bulk_listed' }));
    const bulkIdsBytes = (await journalBytes(dir)) - beforeBulk;
    const bulkAll = await time(() => session.apply({ type: 'add', all: true, tag: 'bulk_all' }));
    const compaction = await time(() => session.compact());
    const snapshotBytes = (await stat(join(dir, 'session.json'))).size;
    const baselines = await measureBaselines(dir, session.state, ops);
    await session.close();
    return {
      images: count,
      tagsPerImage: TAGS_PER_IMAGE,
      snapshotMB: round(snapshotBytes / 1e6),
      createAndFirstCompactMs: round(firstCompact.ms),
      openMs: round(opened.ms),
      baselineReadAndParseSnapshotMs: round(parsed.ms),
      applyOps: ops,
      applyP50Ms: round(percentile(latencies, 0.5)),
      applyP99Ms: round(percentile(latencies, 0.99)),
      journalBytesPerOp: round(singleOpBytes),
      bulkListedIdsMs: round(bulkIds.ms),
      bulkListedIdsJournalBytes: bulkIdsBytes,
      bulkAllMs: round(bulkAll.ms),
      compactionMs: round(compaction.ms),
      baselineAppendFdatasyncP50Ms: round(baselines.appendP50),
      baselineAppendFdatasyncP99Ms: round(baselines.appendP99),
      baselineRewriteWholeStateMs: round(baselines.rewriteMs),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same line appended + fdatasynced with nothing else; and the whole state rewritten once. */
async function measureBaselines(dir, state, ops) {
  const file = join(dir, 'baseline.jsonl');
  const handle = await open(file, 'a');
  const line = Buffer.from(
    `${JSON.stringify({ rev: 1, entry: { type: 'set', id: 'img_000001', tags: state.images.img_000001?.tags ?? [] } })}\n`,
  );
  const latencies = [];
  for (let index = 0; index < ops; index += 1) {
    const started = performance.now();
    await handle.write(line);
    await handle.datasync();
    latencies.push(performance.now() - started);
  }
  await handle.close();
  latencies.sort((left, right) => left - right);
  const rewrite = await time(() =>
    writeFileAtomic(join(dir, 'baseline.json'), JSON.stringify(state)),
  );
  return {
    appendP50: percentile(latencies, 0.5),
    appendP99: percentile(latencies, 0.99),
    rewriteMs: rewrite.ms,
  };
}

/** Runs the benchmark for each image count; the object the CLI prints. */
export async function runSessionBenchmark({ images = [10_000, 100_000], ops = 1000 } = {}) {
  const results = [];
  for (const count of images) results.push(await measure(count, ops));
  return { benchmark: '@civtag/session', node: process.version, results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { images: { type: 'string', multiple: true }, ops: { type: 'string' } },
  });
  const images = values.images?.map(Number) ?? undefined;
  const result = await runSessionBenchmark({
    images,
    ops: values.ops ? Number(values.ops) : undefined,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
