/**
 * Load a CommonJS bundle with the code V8 compiled for it on an earlier run. Node ≥ 22.1 keeps such a cache itself
 * (`module.enableCompileCache`), and then it is used as is. Older Node (20, which CI and these machines run) has no
 * switch for it, so the bundle is compiled here with `vm.Script`, given the code V8 produced last time, and after
 * the run the code V8 compiled (including the functions it compiled lazily while running) is written back for the
 * next one. Most of a cold `tfaml validate` is compiling and first-running JavaScript: bench/validate.mjs measures it.
 *
 * The cache follows Node's own switches: NODE_COMPILE_CACHE names its folder (default: a `tfaml-compile-cache`
 * folder in the temporary directory) and NODE_DISABLE_COMPILE_CACHE turns it off. Compiled code is code, so a cache
 * is used only from a folder this user owns that no one else may write to, and only from a file this user owns.
 * Entries are named by a hash of the bundle's text, Node's version and the architecture, so a new build never meets
 * an old entry; V8 itself refuses data made by another V8 or with other flags (then the entry is written anew).
 * Nothing here can fail a run: a cache that cannot be read or written is a run without one. Entries are written
 * with an fsync: V8 checks a cached entry's header and length, but release builds do not verify its checksum, so an
 * entry torn by a crash must not be left to chance.
 */
import { lstatSync, mkdirSync, readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { crypto } from '../core/builtins.js';
import { writeFileAtomic } from '../core/fs.js';

/**
 * How the bundle was compiled: Node's own cache; ours, from an entry of a complete run (hit) or of one that stopped
 * early (partial); none yet (miss); an entry V8 refused; or no cache at all.
 */
export type CacheUse = 'node' | 'hit' | 'partial' | 'miss' | 'rejected' | 'off';

export interface LoadedBundle<T> {
  exports: T;
  use: CacheUse;
  /** Our cache's entry for this bundle after a complete run, when there is a cache. */
  file?: string;
  /**
   * After the run: store what V8 compiled, when the cache had nothing as good. `complete` says the run did the whole
   * of its work: V8 compiles a function when it first runs, so the entry of a run that stopped early (`--help`, a
   * bad flag) lacks most of them, and is replaced by the first complete run's. Never throws.
   */
  save(complete: boolean): void;
}

export interface CacheOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * What the build knows the bundle's text by (a hash of it, scripts/build.mjs), so that it need not be hashed at
   * every start (0.4 MB of sha256 is 3 ms here). Without it the text is hashed.
   */
  id?: string;
  /** Node's own compile cache switch (`module.enableCompileCache`), absent before Node 22.1. */
  enableNodeCache?: (() => unknown) | undefined;
}

/** The folder our cache lives in for `env`, or undefined when the cache is off. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  return env.NODE_COMPILE_CACHE ? path.resolve(env.NODE_COMPILE_CACHE) : path.join(os.tmpdir(), 'tfaml-compile-cache');
}

export function loadBundle<T>(file: string, options: CacheOptions = {}): LoadedBundle<T> {
  const env = options.env ?? process.env;
  const enableNodeCache =
    'enableNodeCache' in options
      ? options.enableNodeCache
      : (module as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (enableNodeCache && !env.NODE_DISABLE_COMPILE_CACHE) {
    enableNodeCache();
    return { exports: createRequire(file)(file) as T, use: 'node', save: () => undefined };
  }

  const source = readFileSync(file, 'utf8');
  const dir = cacheDir(env);
  const name = dir !== undefined && ownedFolder(dir) ? path.join(dir, entryName(file, source, options.id)) : undefined;
  const entry = name && { complete: `${name}.v8`, partial: `${name}.partial.v8` };
  const complete = entry ? readOwned(entry.complete) : undefined;
  const cachedData = complete ?? (entry ? readOwned(entry.partial) : undefined);
  // Node's own CommonJS wrapper, so the bundle sees what a required module sees.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const use: CacheUse = !entry
    ? 'off'
    : !cachedData
      ? 'miss'
      : script.cachedDataRejected
        ? 'rejected'
        : complete
          ? 'hit'
          : 'partial';
  const mod = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    mod.exports,
    mod.exports,
    createRequire(file),
    mod,
    file,
    path.dirname(file),
  );
  return {
    exports: mod.exports,
    use,
    ...(entry ? { file: entry.complete } : {}),
    save(ranFully) {
      if (!entry || use === 'hit' || (!ranFully && use === 'partial')) return;
      try {
        // A refused entry goes, so that the next run does not meet it before the entry written now.
        if (use === 'rejected') rmSync(complete ? entry.complete : entry.partial, { force: true });
        writeFileAtomic(ranFully ? entry.complete : entry.partial, script.createCachedData());
        if (ranFully) rmSync(entry.partial, { force: true });
      } catch {
        // A read-only or full disk: the next run compiles again.
      }
    },
  };
}

/**
 * The entry's name: the bundle's text (the build's hash of it, or a hash made here), and its size and modification
 * time, so that a bundle edited after the build never meets the entry of the text the build made.
 */
function entryName(file: string, source: string, id: string | undefined): string {
  const st = statSync(file, { bigint: true });
  const text = id ?? crypto().createHash('sha256').update(source).digest('hex').slice(0, 32);
  return `${path.basename(file)}-${text}-${st.size}-${st.mtimeNs}-${process.version}-${process.arch}`;
}

/** Ours and writable by us alone (created so when missing). */
function ownedFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    return st.isDirectory() && ownedByUs(st) && (process.platform === 'win32' || (st.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

function readOwned(file: string): Buffer | undefined {
  try {
    const st = lstatSync(file);
    return st.isFile() && ownedByUs(st) ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

const ownedByUs = (st: Stats): boolean => process.getuid === undefined || st.uid === process.getuid();
