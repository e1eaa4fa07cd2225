/**
 * The hub model loader: one path for every `model.hub` source (a tfhub.dev tfjs handle, a Kaggle Models URL or
 * handle, any https URL of a model.json, a local folder). The files are checked against tfaml.lock (the handle's
 * version, the sha256 of model.json and of every shard, the folder hash) and kept in a cache keyed by that hash,
 * under $RUNNER_TOOL_CACHE on a runner and the user cache folder elsewhere. The cache is filled by writing a hidden
 * folder and renaming it into place, so a reader sees a whole model or none, and a cached model is used without
 * the network.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseHubHandle } from '../../config/hub.js';
import { ConfigurationError, errorMessage } from '../../core/errors.js';
import type { LockedModel } from '../../lock/lockfile.js';
import type { Log } from '../../core/ports.js';

export interface HubModel {
  /** A folder holding model.json and its shards (the cache entry, or the user's own folder). */
  dir: string;
  /** `sha256:<hex>` over the files, the data folder scheme (what tfaml.lock's `hash` holds). */
  hash: string;
  /** `sha256:<hex>` of each file by name (what tfaml.lock's `files` holds). */
  files: Record<string, string>;
  /** The model.json URL or folder it came from. */
  source: string;
  /** `graph-model` or `layers-model`, from model.json. */
  format: 'graph' | 'layers';
  fromCache: boolean;
}

export interface LoadHubOptions {
  hub: string;
  /** The project root (local folders resolve against it). */
  root: string;
  /** tfaml.lock's entry for the model, when there is one. */
  locked?: LockedModel;
  /** Default: hubCacheDir(). */
  cacheDir?: string;
  /** Replaces https://tfhub.dev and https://www.kaggle.com (TFAML_HUB_URL): mirrors, sovereign clouds, tests. */
  hubUrl?: string;
  log?: Log;
  /** Per request; default 60 s. */
  timeoutMs?: number;
}

/** $TFAML_CACHE_DIR, else $RUNNER_TOOL_CACHE/tfaml on a runner, else the user cache folder, each + `/hub`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TFAML_CACHE_DIR) return env.TFAML_CACHE_DIR;
  if (env.RUNNER_TOOL_CACHE) return path.join(env.RUNNER_TOOL_CACHE, 'tfaml');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'tfaml', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'tfaml');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tfaml');
}

export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'hub');
}

/** The model.json URL for a remote handle; undefined for a local folder. Pure. */
export function modelJsonUrl(hub: string, hubUrl?: string): string | undefined {
  const h = parseHubHandle(hub);
  const swap = (u: string) => {
    if (!hubUrl) return u;
    const url = new URL(u);
    return `${hubUrl.replace(/\/+$/, '')}${url.pathname}`;
  };
  switch (h.kind) {
    case 'local':
      return undefined;
    case 'tfhub':
      return `${swap(hub.trim().replace(/\/+$/, ''))}/model.json?tfjs-format=file`;
    case 'kaggle': {
      const base = h.base.startsWith('http') ? h.base : `https://www.kaggle.com/models/${h.base}`;
      return `${swap(base)}${h.version ? `/${h.version}` : ''}/model.json?tfjs-format=file`;
    }
    case 'url':
      return /\.json(\?|$)/.test(h.url) ? h.url : `${h.url.replace(/\/+$/, '')}/model.json`;
  }
}

/** The URL of a file next to model.json, keeping model.json's query (the hub's `?tfjs-format=file`). */
function siblingUrl(modelUrl: string, name: string): string {
  const u = new URL(modelUrl);
  const file = new URL(name, u);
  file.search = u.search;
  return file.toString();
}

/** sha256 of a buffer, `sha256:<hex>`. */
export function sha256Of(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** The data folder hash scheme over named files (see src/lock/hash.ts), so a local copy hashes the same. Pure. */
export function hashFiles(files: Record<string, { size: number; sha256: string }>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    const f = files[name]!;
    h.update(`${name}\u0000${f.size}\u0000${f.sha256.replace(/^sha256:/, '')}\n`, 'utf8');
  }
  return `sha256:${h.digest('hex')}`;
}

interface ParsedModelJson {
  format: 'graph' | 'layers';
  shards: string[];
}

function parseModelJson(body: Buffer, where: string): ParsedModelJson {
  const text = body.toString('utf8');
  if (/^\s*</.test(text)) {
    throw new ConfigurationError(
      `${where} returned HTML, not a model.json (a login page, a proxy or a model page?); check model.hub, or TFAML_HUB_URL if you use a mirror`,
    );
  }
  let j: {
    format?: string;
    modelTopology?: { node?: unknown; model_config?: unknown; class_name?: unknown };
    weightsManifest?: { paths?: string[] }[];
  };
  try {
    j = JSON.parse(text);
  } catch (err) {
    throw new ConfigurationError(
      `${where} is not a model.json (${errorMessage(err)}); model.hub must name a TensorFlow.js model`,
    );
  }
  if (!j || typeof j !== 'object' || !j.modelTopology || !Array.isArray(j.weightsManifest)) {
    throw new ConfigurationError(
      `${where} is JSON but not a TensorFlow.js model.json (it needs modelTopology and weightsManifest); model.hub must name a tfjs model`,
    );
  }
  const graph = j.format === 'graph-model' || Array.isArray(j.modelTopology.node);
  const shards = j.weightsManifest.flatMap((g) => g.paths ?? []);
  for (const s of shards) {
    if (s.includes('..') || path.isAbsolute(s) || s.includes('\\'))
      throw new ConfigurationError(`${where} names a weight file outside its folder (${s}); refusing to use it`);
  }
  return { format: graph ? 'graph' : 'layers', shards };
}

/** Compare what we have with tfaml.lock; every difference named. */
function checkAgainstLock(
  files: Record<string, Buffer>,
  hub: string,
  locked: LockedModel | undefined,
): { hash: string; shas: Record<string, string> } {
  const shas: Record<string, string> = {};
  const meta: Record<string, { size: number; sha256: string }> = {};
  for (const [name, b] of Object.entries(files)) {
    shas[name] = sha256Of(b);
    meta[name] = { size: b.length, sha256: shas[name]! };
  }
  const hash = hashFiles(meta);
  if (!locked) return { hash, shas };
  const problems: string[] = [];
  if (locked.files) {
    for (const [name, sha] of Object.entries(shas)) {
      if (locked.files[name] === undefined) problems.push(`${name} is not in tfaml.lock`);
      else if (locked.files[name] !== sha) problems.push(`${name} is ${sha}, tfaml.lock has ${locked.files[name]}`);
    }
    for (const name of Object.keys(locked.files))
      if (shas[name] === undefined) problems.push(`${name} is in tfaml.lock but not in the model`);
  }
  if (locked.hash && locked.hash !== hash && problems.length === 0)
    problems.push(`the files hash to ${hash}, tfaml.lock has ${locked.hash}`);
  if (problems.length > 0) {
    throw new ConfigurationError(
      `model/hash-mismatch: the model files of ${hub} differ from tfaml.lock: ${problems.join('; ')}. The hub content changed under the same version, or a download was tampered with; pin a new version and run \`tfaml lock\`, or restore the files`,
      { file: 'tfaml.lock' },
    );
  }
  return { hash, shas };
}

async function download(url: string, timeoutMs: number): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? errorMessage(err);
    throw new ConfigurationError(
      `cannot download ${url}: ${why}; check model.hub and the network (or TFAML_HUB_URL if you use a mirror). A model in the cache is used offline once it has been downloaded`,
    );
  }
  if (!res.ok)
    throw new ConfigurationError(
      `${url} answered HTTP ${res.status} ${res.statusText}; check that model.hub names a published tfjs model and version`,
    );
  const type = res.headers.get('content-type') ?? '';
  const body = Buffer.from(await res.arrayBuffer());
  if (/text\/html/i.test(type))
    throw new ConfigurationError(
      `${url} returned HTML, not model files (a login page, a proxy or a model page?); check model.hub, or TFAML_HUB_URL if you use a mirror`,
    );
  return body;
}

function readFolderModel(dir: string, where: string): { files: Record<string, Buffer>; format: 'graph' | 'layers' } {
  const mj = path.join(dir, 'model.json');
  if (!existsSync(mj))
    throw new ConfigurationError(
      `${where} has no model.json; model.hub must name a folder holding a TensorFlow.js model (model.json and its weight shards)`,
    );
  const body = readFileSync(mj);
  const parsed = parseModelJson(body, `${where}/model.json`);
  const files: Record<string, Buffer> = { 'model.json': body };
  for (const s of parsed.shards) {
    try {
      files[s] = readFileSync(path.join(dir, s));
    } catch (err) {
      throw new ConfigurationError(
        `${where}/${s}, a weight shard named by model.json, cannot be read (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`,
      );
    }
  }
  return { files, format: parsed.format };
}

/** Load (download or reuse) the hub model, checked against tfaml.lock. */
export async function loadHubModel(opts: LoadHubOptions): Promise<HubModel> {
  const handle = parseHubHandle(opts.hub);
  const locked = opts.locked && opts.locked.hub === opts.hub ? opts.locked : undefined;
  if (
    (handle.kind === 'tfhub' || handle.kind === 'kaggle') &&
    locked?.version !== undefined &&
    handle.version !== locked.version
  ) {
    throw new ConfigurationError(
      `model.hub is version ${handle.version ?? '(none)'} but tfaml.lock records version ${locked.version}; run \`tfaml lock\``,
      { file: 'tfaml.lock' },
    );
  }
  if (handle.kind === 'local') {
    const dir = path.resolve(opts.root, handle.path);
    const { files, format } = readFolderModel(dir, handle.path);
    const { hash, shas } = checkAgainstLock(files, opts.hub, locked);
    return { dir, hash, files: shas, source: dir, format, fromCache: false };
  }

  const url = modelJsonUrl(opts.hub, opts.hubUrl)!;
  const cache = opts.cacheDir ?? hubCacheDir();
  // A locked model already in the cache: no network at all.
  if (locked?.hash) {
    const dir = path.join(cache, locked.hash.replace(/^sha256:/, ''));
    if (existsSync(path.join(dir, 'model.json'))) {
      try {
        const { files, format } = readFolderModel(dir, dir);
        const { hash, shas } = checkAgainstLock(files, opts.hub, locked);
        return { dir, hash, files: shas, source: url, format, fromCache: true };
      } catch {
        opts.log?.warning(`the cached copy of ${opts.hub} in ${dir} is damaged; downloading it again`);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  try {
    sweepCache(cache);
  } catch {
    // housekeeping only
  }
  const timeout = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  const modelJson = await download(url, timeout);
  const parsed = parseModelJson(modelJson, url);
  const files: Record<string, Buffer> = { 'model.json': modelJson };
  for (const s of parsed.shards) files[s] = await download(siblingUrl(url, s), timeout);
  const { hash, shas } = checkAgainstLock(files, opts.hub, locked);
  const bytes = Object.values(files).reduce((n, b) => n + b.length, 0);
  opts.log?.info(
    `downloaded ${opts.hub}: ${Object.keys(files).length} files, ${(bytes / 1048576).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const dir = path.join(cache, hash.replace(/^sha256:/, ''));
  if (!existsSync(dir)) {
    mkdirSync(cache, { recursive: true });
    const staging = path.join(cache, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(staging);
    try {
      for (const [name, b] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(staging, name)), { recursive: true });
        writeFileSync(path.join(staging, name), b);
      }
      try {
        renameSync(staging, dir);
      } catch (err) {
        // Another run filled the same entry first: same hash, same content.
        if (!existsSync(path.join(dir, 'model.json'))) throw err;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { dir, hash, files: shas, source: url, format: parsed.format, fromCache: false };
}

/** Hidden staging folders older than a day (a killed run): removed so the cache does not grow. */
export function sweepCache(cache = hubCacheDir()): void {
  if (!existsSync(cache)) return;
  for (const e of readdirSync(cache)) {
    if (!e.startsWith('.staging-')) continue;
    const p = path.join(cache, e);
    if (Date.now() - statSync(p).mtimeMs > 86_400_000) rmSync(p, { recursive: true, force: true });
  }
}
