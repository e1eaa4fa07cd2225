/**
 * Content hashes for tfaml.lock: a whole data folder (`hashFolder`) or one file (`hashFile`).
 *
 * Folder hash = sha256 over the folder's files sorted by relative path (byte order of the UTF-8 POSIX path),
 * each serialised as `<relpath>\0<size>\0<hex sha256>\n`, written `sha256:<hex>`. The definition depends only
 * on paths and contents, so it is the same with or without the stat cache and with any number of workers.
 *
 * The parts: the walk and its symbolic link policy (walk.ts), the path order (order.ts), the threads that read
 * contents (pool.ts, hash-worker.ts, one read loop in read.ts), the stat cache (stat-cache.ts); this module puts
 * them together.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import { defaultThreads, hashContents } from './pool.js';
import { combine, readError } from './problems.js';
import { CHUNK_SIZE } from './read.js';
import { RACY_WINDOW_MS, applyStatCache, saveStatCache, type StatCacheEntry } from './stat-cache.js';
import { walkFolder, type WalkedFile } from './walk.js';

// The path order is part of the hash's definition: it stays reachable from here.

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

interface FileEntry extends WalkedFile {
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

  const files: FileEntry[] = walkFolder(root, display);
  if (files.length === 0) {
    throw new ConfigurationError(
      `the data folder ${display} is empty (it has no files); put the data in it, or point at the folder that holds the data`,
      { file: display },
    );
  }

  let cachedFiles = 0;
  let cachedBytes = 0;
  const cacheSize =
    opts.cacheDir === undefined
      ? 0
      : applyStatCache(opts.cacheDir, root, files, (i, sha256) => {
          const f = files[i] as FileEntry;
          f.sha256 = sha256;
          f.fromCache = true;
          cachedFiles++;
          cachedBytes += f.size;
        });
  const misses: FileEntry[] = [];
  let totalBytes = 0;
  for (const f of files) {
    totalBytes += f.size;
    if (f.fromCache !== true) misses.push(f);
  }

  if (misses.length > 0) {
    const threads = Math.max(1, Math.floor(opts.workers ?? defaultThreads()));
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
    const errors = await hashContents(root, misses, threads, progress);
    if (errors.length > 0)
      throw combine(
        errors.map((e) => readError(display === '.' ? e.file.rel : `${display}/${e.file.rel}`, e.code, e.message)),
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

  if (opts.cacheDir !== undefined) {
    // Files whose mtime is too close to this run could still change without changing their stat: not cached.
    const settled = runStart - RACY_WINDOW_MS;
    const newlyCacheable = misses.some((f) => f.mtimeMs < settled);
    // Write only when something changed: a new entry, or an old one that went stale or whose file went away.
    if (newlyCacheable || cachedFiles !== cacheSize) {
      saveStatCache(opts.cacheDir, root, cacheable(files, settled));
    }
  }

  return { hash: `sha256:${folderHash.digest('hex')}`, files: files.length, bytes: totalBytes, cachedFiles };
}

/** The files worth caching, in the walk's order: those hashed before and those that have settled. */
function* cacheable(files: readonly FileEntry[], settled: number): Generator<StatCacheEntry> {
  for (const f of files) if (f.fromCache === true || f.mtimeMs < settled) yield f as StatCacheEntry;
}
