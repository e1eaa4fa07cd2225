import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { hashFileSync } from '../../src/lock/read.js';
import { bundled, hashWorkerUrl } from '../../src/lock/worker-url.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tmp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-hash-worker-'));
  temps.push(dir);
  return dir;
}

/** Deterministic pseudo-random bytes, so that multi-chunk files are not all one byte. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe('the read loop', () => {
  it('hashes in chunks, counts progress, and answers a read error as a result', () => {
    const dir = tmp();
    const big = bytes(600_000, 3);
    writeFileSync(path.join(dir, 'big.bin'), big);
    const counters = new BigInt64Array(new SharedArrayBuffer(8 * 2));
    const buf = Buffer.allocUnsafe(64 * 1024);
    expect(hashFileSync(path.join(dir, 'big.bin'), buf, counters, 0)).toEqual([
      createHash('sha256').update(big).digest('hex'),
      600_000,
    ]);
    expect(hashFileSync(path.join(dir, 'missing'), buf, counters, 0)).toEqual([
      null,
      'ENOENT',
      expect.stringMatching(/no such file/),
    ]);
    expect([...counters]).toEqual([600_000n, 2n]);
  });
});

describe('the hash worker', () => {
  // hashFolder runs this worker whenever there are workers > 1 and several batches; here it is driven directly.
  // The parent's flags do not reach it (pool.ts starts it with execArgv: []); it runs under either.
  it.each([[[] as string[]], [['--input-type=module']]])(
    'hashes a batch and counts progress (execArgv %j)',
    async (execArgv) => {
      const dir = tmp();
      const big = bytes(600_000, 3);
      writeFileSync(path.join(dir, 'big.bin'), big);
      writeFileSync(path.join(dir, 'small.txt'), 'small');
      const progress = new SharedArrayBuffer(8 * 4);
      const w = new Worker(hashWorkerUrl(), {
        execArgv,
        workerData: { chunkSize: 64 * 1024, progress, slot: 1 },
      });
      try {
        const reply = new Promise<{ id: number; results: unknown[] }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        });
        w.postMessage({
          id: 7,
          paths: [path.join(dir, 'big.bin'), path.join(dir, 'missing'), path.join(dir, 'small.txt')],
        });
        const msg = await reply;
        expect(msg.id).toBe(7);
        expect(msg.results[0]).toEqual([createHash('sha256').update(big).digest('hex'), 600_000]);
        expect(msg.results[1]).toEqual([null, 'ENOENT', expect.stringMatching(/no such file/)]);
        expect(msg.results[2]).toEqual([createHash('sha256').update('small').digest('hex'), 5]);
        expect([...new BigInt64Array(progress)]).toEqual([0n, 0n, 600_005n, 3n]);
      } finally {
        await w.terminate();
      }
    },
  );
});

describe('where the bundle keeps the worker', () => {
  it('finds hash-worker.js beside an entry point and above a chunk, and names both places when it is missing', () => {
    const dist = tmp();
    mkdirSync(path.join(dist, 'chunks'));
    const entry = pathToFileURL(path.join(dist, 'cli.js')).href;
    const chunk = pathToFileURL(path.join(dist, 'chunks', 'hash-ABC.js')).href;
    expect(() => bundled(chunk)).toThrow(
      /the hash worker is missing from the bundle: .*chunks.*hash-worker\.js, .*; rebuild/,
    );
    writeFileSync(path.join(dist, 'hash-worker.js'), '');
    const want = pathToFileURL(path.join(dist, 'hash-worker.js')).href;
    expect(bundled(entry).href).toBe(want);
    expect(bundled(chunk).href).toBe(want);
  });
});
