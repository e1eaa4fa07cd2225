/**
 * The worker thread that hashes files for `hashFolder`, kept as plain JavaScript text and started with
 * `new Worker(WORKER_SOURCE, { eval: true })`. Why text rather than a file: a worker thread cannot load
 * TypeScript, so a file-based worker would run a different path under vitest than from dist/, and locating a
 * worker file next to esbuild's chunks is fragile. Text runs identically from source, from tests and from the
 * bundle, and the tests exercise it with several workers.
 *
 * The parent starts it with `execArgv: []`: none of the parent's flags (loaders, --input-type) concern it.
 *
 * Protocol. workerData: `{ chunkSize, progress: SharedArrayBuffer, slot }`. The parent posts
 * `{ id, paths: string[] }`; the worker replies `{ id, results }` where results[i] is `[hex, bytesRead]` or
 * `[null, errorCode, errorMessage]`. Reads are synchronous into one reusable buffer (memory stays bounded
 * whatever the file size; sync reads are the cheapest in a thread that does nothing else). The worker adds
 * bytes and finished files to its two slots of the shared BigInt64Array, which the parent samples for progress
 * without any message traffic.
 */
export const WORKER_SOURCE = String.raw`
// import() rather than require(): an eval'd worker is a CommonJS script or an ES module depending on the
// parent's flags (--input-type), and import() works in both.
Promise.all([import('node:worker_threads'), import('node:fs'), import('node:crypto')]).then(([wt, fs, crypto]) => {
  const { parentPort, workerData } = wt;
  const buf = Buffer.allocUnsafe(workerData.chunkSize);
  const progress = new BigInt64Array(workerData.progress);
  const bytesSlot = workerData.slot * 2;
  const filesSlot = bytesSlot + 1;

  function hashOne(file) {
    let fd;
    try {
      fd = fs.openSync(file, 'r');
      const hash = crypto.createHash('sha256');
      let total = 0;
      let n;
      while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
        hash.update(n === buf.length ? buf : buf.subarray(0, n));
        total += n;
        Atomics.add(progress, bytesSlot, BigInt(n));
      }
      return [hash.digest('hex'), total];
    } catch (err) {
      return [null, String((err && err.code) || 'EUNKNOWN'), String((err && err.message) || err)];
    } finally {
      if (fd !== undefined) {
        try { fs.closeSync(fd); } catch { /* already failed; the read error is what matters */ }
      }
      Atomics.add(progress, filesSlot, 1n);
    }
  }

  // Messages posted before this listener exists are queued by the port, not lost.
  parentPort.on('message', (msg) => {
    const results = new Array(msg.paths.length);
    for (let i = 0; i < msg.paths.length; i++) results[i] = hashOne(msg.paths[i]);
    parentPort.postMessage({ id: msg.id, results });
  });
});
`;
