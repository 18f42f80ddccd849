import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * The worker's code, as plain CommonJS so that it runs from the sources (tests) and from the
 * build alike. onnxruntime-node runs a model synchronously on the thread that calls it; on the
 * main thread that would stall every socket and timer of the server for a whole batch.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.onnxruntimePath);
let session;
const describe = (error) => (error instanceof Error ? error.message : String(error));
parentPort.on('message', async (message) => {
  try {
    if (message.type === 'load') {
      session = await ort.InferenceSession.create(message.modelPath, message.options);
      const plain = (list) => list.map((entry) => ({ ...entry, shape: entry.shape ? [...entry.shape] : undefined }));
      parentPort.postMessage({ id: message.id, ok: true, inputs: plain(session.inputMetadata), outputs: plain(session.outputMetadata) });
    } else if (message.type === 'run') {
      const input = new ort.Tensor('float32', new Float32Array(message.buffer, 0, message.length), message.dims);
      const outputs = await session.run({ [message.inputName]: input }, [message.outputName]);
      const output = outputs[message.outputName];
      const scores = output && output.data instanceof Float32Array ? output.data.slice() : new Float32Array(0);
      parentPort.postMessage({ id: message.id, ok: true, buffer: message.buffer, scores }, [message.buffer, scores.buffer]);
    } else if (message.type === 'release') {
      if (session) await session.release();
      session = undefined;
      parentPort.postMessage({ id: message.id, ok: true });
    }
  } catch (error) {
    const reply = { id: message.id, ok: false, message: describe(error) };
    if (message.buffer) reply.buffer = message.buffer;
    parentPort.postMessage(reply, message.buffer ? [message.buffer] : []);
  }
});
`;

/** Metadata of a model input or output, as onnxruntime reports it. */
export type ValueMetadata = InferenceSession.ValueMetadata;

/** What one inference gives back: the scores, and the input's memory for the next batch. */
export interface InferenceOutput {
  scores: Float32Array;
  buffer: ArrayBuffer;
}

type PendingReplies = Map<
  number,
  { resolve: (reply: Reply) => void; reject: (error: unknown) => void }
>;

interface Reply {
  id: number;
  ok: boolean;
  message?: string;
  inputs?: ValueMetadata[];
  outputs?: ValueMetadata[];
  buffer?: ArrayBuffer;
  scores?: Float32Array;
}

/** An error onnxruntime raised in the worker; `buffer` is the input's memory, handed back. */
export class InferenceFailure extends Error {
  constructor(
    message: string,
    readonly buffer: ArrayBuffer | undefined,
  ) {
    super(message);
    this.name = 'InferenceFailure';
  }
}

/** One onnxruntime session on a worker thread. */
export class InferenceWorker {
  readonly inputs: readonly ValueMetadata[];
  readonly outputs: readonly ValueMetadata[];
  readonly #worker: Worker;
  readonly #pending: PendingReplies;
  #nextId: number;

  private constructor(worker: Worker, pending: PendingReplies, loaded: Reply, nextId: number) {
    this.#worker = worker;
    this.#pending = pending;
    this.#nextId = nextId;
    this.inputs = loaded.inputs ?? [];
    this.outputs = loaded.outputs ?? [];
  }

  /**
   * Starts a worker and loads `modelPath` in it.
   *
   * @throws {InferenceFailure} when onnxruntime cannot load the model (the worker is stopped).
   */
  static async start(
    modelPath: string,
    options: InferenceSession.SessionOptions,
  ): Promise<InferenceWorker> {
    const onnxruntimePath = createRequire(import.meta.url).resolve('onnxruntime-node');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { onnxruntimePath } });
    const pending: PendingReplies = new Map();
    const failAll = (error: unknown) => {
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    };
    worker.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) worker.unref();
      if (waiting === undefined) return;
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(new InferenceFailure(reply.message ?? 'unknown error', reply.buffer));
    });
    worker.on('error', failAll);
    worker.on('exit', (code) =>
      failAll(
        new CivtagError(
          ErrorCode.INTERNAL,
          `The tagger's inference thread stopped (exit code ${code}).`,
        ),
      ),
    );
    const request = (message: Record<string, unknown>, id: number) =>
      new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ ...message, id });
      });
    try {
      const loaded = await request({ type: 'load', modelPath, options }, 0);
      return new InferenceWorker(worker, pending, loaded, 1);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  /**
   * Runs the model on the first `length` floats of `buffer`, shaped `dims`. The buffer is moved
   * to the worker (it is unusable here meanwhile) and comes back with the scores.
   *
   * @throws {InferenceFailure} with the buffer handed back, when onnxruntime refuses the run.
   */
  async run(
    request: { inputName: string; outputName: string; dims: number[] },
    buffer: ArrayBuffer,
    length: number,
  ): Promise<InferenceOutput> {
    const reply = await this.#request({ type: 'run', ...request, buffer, length }, [buffer]);
    return {
      scores: reply.scores ?? new Float32Array(0),
      buffer: reply.buffer ?? new ArrayBuffer(0),
    };
  }

  /** Frees the model and stops the worker. */
  async release(): Promise<void> {
    try {
      await this.#request({ type: 'release' }, []);
    } finally {
      await this.#worker.terminate();
    }
  }

  #request(message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<Reply> {
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ ...message, id }, transfer);
    });
  }
}
