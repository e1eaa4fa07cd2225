/**
 * The worker thread that hashes files for `hashFolder` (pool.ts starts it; worker-url.ts says where its code is).
 * It runs the same read loop as the calling thread (read.ts).
 *
 * Protocol. workerData: `{ chunkSize, progress: SharedArrayBuffer, slot }`. The parent posts
 * `{ id, paths: string[] }`; the worker replies `{ id, results }` where results[i] is a HashResult (read.ts).
 * The worker adds bytes and finished files to its two slots of the shared BigInt64Array, which the parent samples
 * for progress.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hashFileSync, type HashResult } from './read.js';

const data = workerData as { chunkSize: number; progress: SharedArrayBuffer; slot: number };
const port = parentPort;
if (port === null) throw new Error('hash-worker.ts runs only as a worker thread');
const buf = Buffer.allocUnsafe(data.chunkSize);
const counters = new BigInt64Array(data.progress);

// Messages posted before this listener exists are queued by the port, not lost.
port.on('message', (msg: { id: number; paths: string[] }) => {
  const results: HashResult[] = msg.paths.map((p) => hashFileSync(p, buf, counters, data.slot));
  port.postMessage({ id: msg.id, results });
});
