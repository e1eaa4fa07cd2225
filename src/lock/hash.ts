/**
 * Content hashes for tfaml.lock: a whole data folder (`hashFolder`) or one file (`hashFile`).
 *
 * Folder hash = sha256 over the folder's files sorted by relative path (byte order of the UTF-8 POSIX path),
 * each serialised as `<relpath>\0<size>\0<hex sha256>\n`, written `sha256:<hex>`. The definition depends only
 * on paths and contents, so it is the same with or without the stat cache and with any number of workers.
 *
 * The walk is synchronous (per-file async costs more than the stat it wraps, and a warm re-hash of 100k files is
 * nothing but the walk). File contents are hashed on the calling thread and in worker threads at once (the
 * calling thread starts while the workers boot), each thread reading in fixed-size chunks into one buffer, so
 * memory stays bounded whatever the size of the data.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { WORKER_SOURCE } from './hash-worker.js';
import { RACY_WINDOW_MS, loadStatCache, saveStatCache, type StatCacheEntry } from './stat-cache.js';

export interface HashProgress {
  /** Files hashed so far, counting those answered by the stat cache. */
  files: number;
  totalFiles: number;
  /** Bytes hashed so far, counting those answered by the stat cache. */
  bytes: number;
  totalBytes: number;
}

export interface HashOptions {
  /** Folder for the stat cache (e.g. <root>/.tfaml/cache); no cache when undefined. */
  cacheDir?: string;
  /**
   * Called at most ~4 times a second while hashing is in progress, and once more when it is done (with
   * files === totalFiles). Not called while the folder is being walked.
   */
  onProgress?: (p: HashProgress) => void;
  /**
   * Threads that hash file contents, the calling thread included (1: no worker thread; n: n - 1 worker threads,
   * started only when there is that much work); default os.availableParallelism(), at most 8.
   */
  workers?: number;
}

export interface FolderHash {
  /** `sha256:<hex>` */
  hash: string;
  files: number;
  bytes: number;
  /** Files whose hash came from the stat cache without reading them. */
  cachedFiles: number;
}

/** Read size. Measured here: 256 KiB to 1 MiB equal (~1.5 GB/s per core, above openssl dgst), 4 MiB slower. */
const CHUNK_SIZE = 256 * 1024;
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
/** Problems reported at once; beyond that the user gets the gist and a count. */
const MAX_ERRORS = 20;

interface FileEntry {
  /** Relative path, forward slashes. */
  rel: string;
  /** The path to read (through any symbolic links in it). */
  abs: string;
  size: number;
  mtimeMs: number;
  ino: number;
  sha256?: string;
  fromCache?: boolean;
}

/** The streaming sha256 of one file, `sha256:<hex>`. File system errors propagate unchanged. */
export async function hashFile(absPath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(absPath, { highWaterMark: CHUNK_SIZE })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** displayPath is the project-relative path used in error messages. */
export async function hashFolder(absDir: string, displayPath: string, opts: HashOptions = {}): Promise<FolderHash> {
  const runStart = Date.now();
  const display = displayPath.replace(/\/+$/, '') || '.';
  const root = path.resolve(absDir);
  const rootReal = checkRoot(root, display);

  const walker = new Walker(rootReal, display);
  walker.walkDir(root, '', rootReal, new Set([rootReal]));
  if (walker.errors.length > 0) throw combine(walker.errors, walker.errorCount);
  const files = walker.files;
  if (files.length === 0) {
    throw new ConfigurationError(
      `the data folder ${display} is empty (it has no files); put the data in it, or point at the folder that holds the data`,
      { file: display },
    );
  }

  const cache = opts.cacheDir === undefined ? undefined : loadStatCache(opts.cacheDir, root);
  const misses: FileEntry[] = [];
  let cachedFiles = 0;
  let cachedBytes = 0;
  let totalBytes = 0;
  for (const f of files) {
    totalBytes += f.size;
    const c = cache?.get(f.rel);
    if (c !== undefined && c.size === f.size && c.mtimeMs === f.mtimeMs && c.ino === f.ino) {
      f.sha256 = c.sha256;
      f.fromCache = true;
      cachedFiles++;
      cachedBytes += f.size;
    } else {
      misses.push(f);
    }
  }

  if (misses.length > 0) {
    const threads = Math.max(1, Math.floor(opts.workers ?? Math.min(os.availableParallelism(), DEFAULT_MAX_THREADS)));
    const report = opts.onProgress;
    const progress =
      report === undefined
        ? undefined
        : (done: { files: number; bytes: number }) =>
            report({
              files: cachedFiles + done.files,
              totalFiles: files.length,
              bytes: cachedBytes + done.bytes,
              totalBytes,
            });
    const errors = await hashContents(misses, threads, progress);
    if (errors.length > 0)
      throw combine(
        errors.map((e) => fileError(e.file, e.code, e.message, display)),
        errors.length,
      );
  }
  opts.onProgress?.({ files: files.length, totalFiles: files.length, bytes: totalBytes, totalBytes });

  const folderHash = createHash('sha256');
  let text = '';
  for (const f of files) {
    text += `${f.rel}\u0000${f.size}\u0000${f.sha256 as string}\n`;
    if (text.length > 65536) {
      folderHash.update(text, 'utf8');
      text = '';
    }
  }
  folderHash.update(text, 'utf8');

  if (opts.cacheDir !== undefined && cache !== undefined) {
    // Files whose mtime is too close to this run could still change without changing their stat: not cached.
    const settled = runStart - RACY_WINDOW_MS;
    const newlyCacheable = misses.some((f) => f.mtimeMs < settled);
    // Write only when something changed: a new entry, or an old one that went stale or whose file went away.
    if (newlyCacheable || cachedFiles !== cache.size) {
      const entries: [string, StatCacheEntry][] = [];
      for (const f of files) {
        if (f.fromCache === true || f.mtimeMs < settled) {
          entries.push([f.rel, { size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, sha256: f.sha256 as string }]);
        }
      }
      saveStatCache(opts.cacheDir, root, entries);
    }
  }

  return { hash: `sha256:${folderHash.digest('hex')}`, files: files.length, bytes: totalBytes, cachedFiles };
}

/** The folder's real path, or a ConfigurationError when it is missing, not a folder or unreadable. */
function checkRoot(root: string, display: string): string {
  let st: Stats;
  try {
    st = statSync(root);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT') {
      throw new ConfigurationError(`the data folder ${display} does not exist; create it or correct the path`, {
        file: display,
      });
    }
    if (code === 'ENOTDIR') {
      throw new ConfigurationError(`${display} is not a folder: a part of the path is a file; correct the path`, {
        file: display,
      });
    }
    throw pathError(display, code, err, 'folder');
  }
  if (!st.isDirectory()) {
    throw new ConfigurationError(`${display} is not a folder; point it at the folder that holds the data`, {
      file: display,
    });
  }
  return realpathSync(root);
}

type Kind = 'file' | 'dir';

interface Item {
  name: string;
  /** Sort key: a folder sorts as `name/`, so that sorting each folder gives byte order of whole paths. */
  key: string;
  kind: Kind;
  /** Real path of a symbolic link's target. */
  real?: string;
}

class Walker {
  readonly files: FileEntry[] = [];
  readonly errors: ConfigurationError[] = [];
  errorCount = 0;

  constructor(
    private readonly rootReal: string,
    private readonly display: string,
  ) {}

  private shown(rel: string): string {
    return this.display === '.' ? rel : `${this.display}/${rel}`;
  }

  /** Collects a user error, so that all of them are reported at once; anything else ends the walk. */
  private report(error: Error): void {
    if (!(error instanceof ConfigurationError)) throw error;
    this.errorCount++;
    if (this.errors.length < MAX_ERRORS) this.errors.push(error);
  }

  /**
   * Walks one folder in sorted order. `real` is its real path; `stack` holds the real paths of the folders
   * being walked (it and the folders it was reached through), to recognise a link that leads back into them.
   */
  walkDir(abs: string, rel: string, real: string, stack: Set<string>): void {
    let dirents: Dirent[];
    try {
      dirents = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      this.report(pathError(rel === '' ? this.display : this.shown(rel), errCode(err), err, 'folder'));
      return;
    }
    const items: Item[] = [];
    for (const d of dirents) {
      const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isFile()) items.push({ name: d.name, key: d.name, kind: 'file' });
      else if (d.isDirectory()) items.push({ name: d.name, key: `${d.name}/`, kind: 'dir' });
      else if (d.isSymbolicLink()) {
        const item = this.resolveLink(path.join(abs, d.name), childRel, d.name, real, stack);
        if (item !== undefined) items.push(item);
      } else this.report(specialError(this.shown(childRel), d));
    }
    items.sort(compareKeys);
    for (const item of items) {
      const childAbs = path.join(abs, item.name);
      const childRel = rel === '' ? item.name : `${rel}/${item.name}`;
      if (item.kind === 'dir') {
        const childReal = item.real ?? path.join(real, item.name);
        stack.add(childReal);
        this.walkDir(childAbs, childRel, childReal, stack);
        stack.delete(childReal);
        continue;
      }
      let st: Stats;
      try {
        st = statSync(childAbs);
      } catch (err) {
        this.report(pathError(this.shown(childRel), errCode(err), err, 'file'));
        continue;
      }
      this.files.push({ rel: childRel, abs: childAbs, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
    }
  }

  /** Follows a symbolic link that stays inside the folder; anything else is reported. */
  private resolveLink(
    abs: string,
    rel: string,
    name: string,
    parentReal: string,
    stack: Set<string>,
  ): Item | undefined {
    const shown = this.shown(rel);
    let target: string;
    try {
      target = realpathSync(abs);
    } catch (err) {
      const code = errCode(err);
      if (code === 'ENOENT') {
        this.report(
          new ConfigurationError(
            `${shown} is a broken symbolic link (to ${linkText(abs)}, which does not exist); restore its target or remove the link`,
            { file: shown },
          ),
        );
      } else {
        this.report(pathError(shown, code, err, 'link'));
      }
      return undefined;
    }
    if (
      target !== this.rootReal &&
      !target.startsWith(this.rootReal.endsWith(path.sep) ? this.rootReal : this.rootReal + path.sep)
    ) {
      this.report(
        new ConfigurationError(
          `${shown} is a symbolic link to ${linkText(abs)}, which points outside the data folder ${this.display}; ` +
            `copy the file (or folder) into ${this.display} instead of linking to it, or remove the link`,
          { file: shown },
        ),
      );
      return undefined;
    }
    let st: Stats;
    try {
      st = statSync(target);
    } catch (err) {
      this.report(pathError(shown, errCode(err), err, 'link'));
      return undefined;
    }
    if (st.isFile()) return { name, key: name, kind: 'file', real: target };
    if (st.isDirectory()) {
      const intoItself =
        stack.has(target) ||
        parentReal === target ||
        parentReal.startsWith(target.endsWith(path.sep) ? target : target + path.sep);
      if (intoItself) {
        this.report(
          new ConfigurationError(
            `${shown} is a symbolic link loop: it points to ${linkText(abs)}, a folder that contains the link itself; remove the link`,
            { file: shown },
          ),
        );
        return undefined;
      }
      return { name, key: `${name}/`, kind: 'dir', real: target };
    }
    this.report(specialError(shown, st));
    return undefined;
  }
}

function linkText(abs: string): string {
  try {
    return readlinkSync(abs);
  } catch {
    return 'its target';
  }
}

function specialError(
  shown: string,
  d: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean },
): ConfigurationError {
  const what = d.isFIFO()
    ? 'a named pipe (FIFO)'
    : d.isSocket()
      ? 'a socket'
      : d.isBlockDevice() || d.isCharacterDevice()
        ? 'a device file'
        : 'neither a file nor a folder';
  return new ConfigurationError(
    `${shown} is ${what}; a data folder may hold only files, folders and symbolic links to them inside it: move it out of the data folder`,
    { file: shown },
  );
}

/** A file system error on a path, as the user's problem when it is one, else as it came. */
function pathError(shown: string, code: string | undefined, err: unknown, what: 'file' | 'folder' | 'link'): Error {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new ConfigurationError(
        `cannot read ${what} ${shown}: permission denied; fix its permissions (e.g. chmod ${what === 'folder' ? '-R u+rX' : 'u+r'}) so that tfaml can read it`,
        { file: shown },
      );
    case 'ELOOP':
      return new ConfigurationError(
        `${shown} is a symbolic link loop (too many levels of symbolic links); remove the link`,
        { file: shown },
      );
    case 'ENOENT':
      return new ConfigurationError(
        `${shown} disappeared while the data was being hashed; run again once nothing is writing to the folder`,
        {
          file: shown,
        },
      );
    default: {
      // Not something a user can be told to fix (EIO, EMFILE, ...): keep it an error of its own kind.
      const wrapped = new Error(`cannot read ${shown}: ${errorMessage(err)}`);
      (wrapped as Error & { cause?: unknown }).cause = err;
      return wrapped;
    }
  }
}

function fileError(f: FileEntry, code: string, message: string, display: string): Error {
  const shown = display === '.' ? f.rel : `${display}/${f.rel}`;
  if (code === 'ESIZE') {
    return new ConfigurationError(
      `${shown} changed while it was being hashed; run again once nothing is writing to the folder`,
      { file: shown },
    );
  }
  return pathError(shown, code, Object.assign(new Error(message), { code }), 'file');
}

/** One error for many: user errors together (up to MAX_ERRORS, then a count); anything else alone. */
function combine(errors: Error[], total: number): Error {
  const other = errors.find((e) => !(e instanceof ConfigurationError));
  if (other !== undefined) return other;
  const list = (errors as ConfigurationError[]).slice(0, MAX_ERRORS);
  if (total > list.length) {
    const first = list[0] as ConfigurationError;
    list.push(new ConfigurationError(`... and ${total - list.length} more problems like these`, first.location));
  }
  return ConfigurationError.all(list);
}

function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Byte order of the UTF-8 encodings, i.e. code point order (UTF-16 code unit order differs above U+D7FF). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
  }
  return a.length - b.length;
}

/** Surrogates (U+D800-DFFF, i.e. code points above U+FFFF) rank after U+E000-FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function compareKeys(a: Item, b: Item): number {
  return compareUtf8(a.key, b.key);
}

interface HashError {
  file: FileEntry;
  code: string;
  message: string;
}

/** `[hex, bytesRead]`, or `[null, errorCode, errorMessage]`: the worker protocol (see hash-worker.ts). */
type HashResult = [string, number] | [null, string, string];

/**
 * The calling thread's copy of the worker's loop (hash-worker.ts): chunked synchronous reads into one buffer,
 * counting progress into the shared counters of `slot`. Kept line for line the same as the worker's.
 */
function hashFileSync(file: string, buf: Buffer, counters: BigInt64Array, slot: number): HashResult {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const hash = createHash('sha256');
    let total = 0;
    let n: number;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) {
      hash.update(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      Atomics.add(counters, 2 * slot, BigInt(n));
    }
    return [hash.digest('hex'), total];
  } catch (err) {
    return [null, errCode(err) ?? 'EUNKNOWN', errorMessage(err)];
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failed; the read error is what matters
      }
    }
    Atomics.add(counters, 2 * slot + 1, 1n);
  }
}

/** Splits the files into batches of at most BATCH_BYTES or BATCH_FILES, largest files first. */
function toBatches(files: FileEntry[]): FileEntry[][] {
  // Largest first, so that one big file does not start last and keep a single core busy at the end.
  const queue = [...files].sort((a, b) => b.size - a.size);
  const batches: FileEntry[][] = [];
  let batch: FileEntry[] = [];
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
 * Hashes `files` (setting `sha256` on each) on `threads` threads: the calling one, which starts at once, and
 * up to threads - 1 worker threads, started only when there is more than one batch of work for them. Resolves
 * with the problems found; rejects only when a worker itself fails.
 */
async function hashContents(
  files: FileEntry[],
  threads: number,
  progress: ((done: { files: number; bytes: number }) => void) | undefined,
): Promise<HashError[]> {
  const batches = toBatches(files);
  const workerCount = Math.max(0, Math.min(threads - 1, batches.length - 1));
  // Two counters (bytes, files) per thread; slot 0 is the calling thread, slot i the i-th worker.
  const counters = new BigInt64Array(new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT * 2 * (workerCount + 1)));
  const errors: HashError[] = [];
  const pool: Worker[] = [];
  const sent = new Map<number, FileEntry[]>();
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
  const apply = (batch: FileEntry[], results: HashResult[]): void => {
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
        const batch = batches[id] as FileEntry[];
        sent.set(id, batch);
        w.postMessage({ id, paths: batch.map((f) => f.abs) });
      };
      for (let i = 0; i < workerCount; i++) {
        const w = new Worker(WORKER_SOURCE, {
          eval: true,
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
        const batch = batches[next++] as FileEntry[];
        try {
          apply(
            batch,
            batch.map((f) => hashFileSync(f.abs, buf, counters, 0)),
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
