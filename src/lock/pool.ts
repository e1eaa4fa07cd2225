/**
 * Hashes the contents of many files at once: on the calling thread, which starts at once, and on worker threads
 * (hash-worker.ts), started only when there is more than one batch of work for them. Every thread runs the same
 * read loop (read.ts). Progress is counted by each thread into shared counters and sampled, not messaged.
 */
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../core/builtins.js';
import { errorMessage } from '../core/errors.js';
import { CHUNK_SIZE, hashFileSync, type HashResult } from './read.js';
import { hashWorkerUrl } from './worker-url.js';

/** A batch sent to a worker ends at this many bytes or files, whichever comes first. */
const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_FILES = 256;
/** Batches queued per worker, so that a worker never waits for the main thread between two batches. */
const IN_FLIGHT_PER_WORKER = 2;
const PROGRESS_INTERVAL_MS = 250;
/**
 * Default thread cap. Each worker thread costs ~9 MiB of RSS (measured: 2 threads 61 MiB, 8 threads 115 MiB,
 * 16 threads 186 MiB), and 8 cores already hash ~10 GB/s, more than disks deliver.
 */
const DEFAULT_MAX_THREADS = 8;

/** The threads to use when the caller does not say: os.availableParallelism(), at most DEFAULT_MAX_THREADS. */
export function defaultThreads(): number {
  return Math.min(os.availableParallelism(), DEFAULT_MAX_THREADS);
}

/** What the pool reads: `sha256` (hex) is set on each file it hashes. */
export interface PoolFile {
  /** Relative to the folder being hashed, forward slashes. */
  rel: string;
  size: number;
  sha256?: string;
}

export interface HashError<F> {
  file: F;
  code: string;
  message: string;
}

/** Splits the files into batches of at most BATCH_BYTES or BATCH_FILES, largest files first. */
function toBatches<F extends PoolFile>(files: F[]): F[][] {
  // Largest first, so that one big file does not start last and keep a single core busy at the end.
  const queue = [...files].sort((a, b) => b.size - a.size);
  const batches: F[][] = [];
  let batch: F[] = [];
  let bytes = 0;
  for (const f of queue) {
    if (batch.length > 0 && (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(f);
    bytes += f.size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Hashes `files` under `root` (setting `sha256` on each) on `threads` threads: the calling one, which starts at once, and
 * up to threads - 1 worker threads, started only when there is more than one batch of work for them. A file whose
 * size differs from the one read is an `ESIZE` problem. Resolves with the problems found; rejects only when a
 * worker itself fails.
 */
export async function hashContents<F extends PoolFile>(
  root: string,
  files: F[],
  threads: number,
  progress: ((done: { files: number; bytes: number }) => void) | undefined,
): Promise<HashError<F>[]> {
  const batches = toBatches(files);
  const workerCount = Math.max(0, Math.min(threads - 1, batches.length - 1));
  // Two counters (bytes, files) per thread; slot 0 is the calling thread, slot i the i-th worker.
  const counters = new BigInt64Array(new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT * 2 * (workerCount + 1)));
  const errors: HashError<F>[] = [];
  const pool: Worker[] = [];
  const sent = new Map<number, F[]>();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;

  const sample = (): { files: number; bytes: number } => {
    let doneFiles = 0;
    let doneBytes = 0;
    for (let i = 0; i <= workerCount; i++) {
      doneBytes += Number(Atomics.load(counters, 2 * i));
      doneFiles += Number(Atomics.load(counters, 2 * i + 1));
    }
    return { files: doneFiles, bytes: doneBytes };
  };
  const apply = (batch: F[], results: HashResult[]): void => {
    if (results.length !== batch.length)
      throw new Error(`hash worker answered ${results.length} results for ${batch.length} files`);
    batch.forEach((f, i) => {
      const r = results[i] as HashResult;
      if (r[0] === null) errors.push({ file: f, code: r[1], message: r[2] });
      else if (r[1] !== f.size)
        errors.push({ file: f, code: 'ESIZE', message: `read ${r[1]} bytes, expected ${f.size}` });
      else f.sha256 = r[0];
    });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let mainBusy = true;
      const fail = (err: unknown): void => {
        if (settled) return;
        settled = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      const finishIfDone = (): void => {
        if (!settled && !mainBusy && sent.size === 0 && next >= batches.length) {
          settled = true;
          resolve();
        }
      };
      const feed = (w: Worker): void => {
        if (next >= batches.length) return;
        const id = next++;
        const batch = batches[id] as F[];
        sent.set(id, batch);
        w.postMessage({ id, paths: batch.map((f) => path.join(root, f.rel)) });
      };
      for (let i = 0; i < workerCount; i++) {
        // execArgv: none of the parent's flags (loaders, --input-type) concern the worker.
        const w = new (workerThreads().Worker)(hashWorkerUrl(), {
          execArgv: [],
          workerData: { chunkSize: CHUNK_SIZE, progress: counters.buffer, slot: i + 1 },
        });
        pool.push(w);
        w.on('message', (msg: { id: number; results: HashResult[] }) => {
          const batch = sent.get(msg.id);
          if (batch === undefined) return fail(new Error(`hash worker answered an unknown batch ${msg.id}`));
          sent.delete(msg.id);
          try {
            apply(batch, msg.results);
          } catch (err) {
            return fail(err);
          }
          feed(w);
          finishIfDone();
        });
        w.on('error', (err) => fail(new Error(`hash worker failed: ${errorMessage(err)}`)));
        w.on('exit', (code) => fail(new Error(`hash worker exited early (code ${code})`)));
        for (let k = 0; k < IN_FLIGHT_PER_WORKER; k++) feed(w);
      }
      // The calling thread takes one batch at a time, yielding in between so that workers are fed promptly.
      const buf = Buffer.allocUnsafe(CHUNK_SIZE);
      const mainLoop = (): void => {
        if (settled) return;
        if (next >= batches.length) {
          mainBusy = false;
          return finishIfDone();
        }
        const batch = batches[next++] as F[];
        try {
          apply(
            batch,
            batch.map((f) => hashFileSync(path.join(root, f.rel), buf, counters, 0)),
          );
        } catch (err) {
          return fail(err);
        }
        setImmediate(mainLoop);
      };
      setImmediate(mainLoop);
      if (progress !== undefined) timer = setInterval(() => progress(sample()), PROGRESS_INTERVAL_MS);
    });
  } finally {
    if (timer !== undefined) clearInterval(timer);
    for (const w of pool) w.removeAllListeners('exit');
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return errors;
}
