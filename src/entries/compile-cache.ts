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
 * Nothing here can fail a run: a cache that cannot be read or written is a run without one.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, type Stats } from 'node:fs';
import module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { writeFileAtomic } from '../core/fs.js';

/** How the bundle was compiled: Node's own cache, ours (used, missing, refused by V8), or none. */
export type CacheUse = 'node' | 'hit' | 'miss' | 'rejected' | 'off';

export interface LoadedBundle<T> {
  exports: T;
  use: CacheUse;
  /** Our cache's file for this bundle, when there is one. */
  file?: string;
  /** After the run: store what V8 compiled when the cache had nothing usable. Never throws. */
  save(): void;
}

export interface CacheOptions {
  env?: NodeJS.ProcessEnv;
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
  const usable = dir !== undefined && ownedFolder(dir);
  const entry = usable
    ? path.join(
        dir,
        `${path.basename(file)}-${createHash('sha256').update(`${process.version} ${process.arch}\n`).update(source).digest('hex').slice(0, 32)}.v8`,
      )
    : undefined;
  const cachedData = entry ? readOwned(entry) : undefined;
  // Node's own CommonJS wrapper, so the bundle sees what a required module sees.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const use: CacheUse = !entry ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
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
    ...(entry ? { file: entry } : {}),
    save() {
      if (!entry || (use !== 'miss' && use !== 'rejected')) return;
      try {
        writeFileAtomic(entry, script.createCachedData());
      } catch {
        // A read-only or full disk: the next run compiles again.
      }
    },
  };
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
