/**
 * The hub model loader: one path for every `model.hub` source (a tfhub.dev tfjs handle, a Kaggle Models URL or
 * handle, any https URL of a model.json, a local folder). The files are checked against tfaml.lock (the handle's
 * version, the sha256 of model.json and of every shard, the folder hash) and kept in a cache keyed by that hash,
 * under $RUNNER_TOOL_CACHE on a runner and the user cache folder elsewhere. The cache is filled by writing a hidden
 * folder and renaming it into place, so a reader sees a whole model or none, and a cached model is used without
 * the network.
 *
 * Everything a pull request's checkout says is untrusted, `model.hub` and tfaml.lock included, and the hub is an
 * outside system. So: only https (plain http to a loopback host alone, for local fakes), redirects followed by hand
 * and only to https, caps on model.json's size, the number of shards and the total bytes (each refused before it is
 * written to the cache), weight file names that stay inside the model's folder and origin, a lock hash that must be
 * a hash before it becomes a cache path, and a cached copy hashed again against the lock before every use.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseHubHandle } from '../../config/hub.js';
import { ConfigurationError, errorMessage, type SourceLocation } from '../../core/errors.js';
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

/** What one model may weigh. A hub (or a handle in a pull request) must not fill the runner's disk or memory. */
export interface HubLimits {
  /** Bytes of model.json (a real one is well under 1 MiB; it is held in memory and parsed). */
  modelJsonBytes: number;
  /** Weight files named by model.json. */
  shards: number;
  /** Bytes of model.json and every shard together. */
  totalBytes: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_HUB_LIMITS: HubLimits = { modelJsonBytes: 10 * MiB, shards: 1000, totalBytes: 2048 * MiB };

/** The environment variable that raises each cap (documented in docs/train.md). */
export const HUB_LIMIT_ENV: Record<keyof HubLimits, string> = {
  modelJsonBytes: 'TFAML_HUB_MAX_MODEL_JSON_BYTES',
  shards: 'TFAML_HUB_MAX_SHARDS',
  totalBytes: 'TFAML_HUB_MAX_BYTES',
};

/** The caps, each overridable by its environment variable: a whole number, bytes optionally with KiB, MiB or GiB. */
export function hubLimits(env: NodeJS.ProcessEnv = process.env): HubLimits {
  const out = { ...DEFAULT_HUB_LIMITS };
  for (const key of Object.keys(HUB_LIMIT_ENV) as (keyof HubLimits)[]) {
    const name = HUB_LIMIT_ENV[key];
    const raw = env[name]?.trim();
    if (!raw) continue;
    const m = key === 'shards' ? /^(\d+)()$/.exec(raw) : /^(\d+)\s*(KiB|MiB|GiB)?$/i.exec(raw);
    const n = m ? Number(m[1]) * ({ kib: 1024, mib: MiB, gib: 1024 * MiB }[(m[2] ?? '').toLowerCase()] ?? 1) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new ConfigurationError(
        `${name} is ${JSON.stringify(raw)}; it must be a positive whole number${key === 'shards' ? '' : ' of bytes, optionally with KiB, MiB or GiB (e.g. 4GiB)'}, or unset for the default ${formatLimit(key, DEFAULT_HUB_LIMITS[key])}`,
      );
    }
    out[key] = n;
  }
  return out;
}

function formatLimit(key: keyof HubLimits, n: number): string {
  if (key === 'shards') return String(n);
  if (n % (1024 * MiB) === 0) return `${n / (1024 * MiB)} GiB`;
  if (n % MiB === 0) return `${n / MiB} MiB`;
  return `${n} bytes`;
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
  /** Default: hubLimits() (the defaults, raised by TFAML_HUB_MAX_* variables). */
  limits?: HubLimits;
  /** Where model.hub is written (tfaml.yml's line), so a refused URL names the line to change. */
  at?: SourceLocation;
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

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach (the local fakes the tests start). */
function isLoopback(u: URL): boolean {
  const h = u.hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Why a URL may not be fetched, or undefined when it may. Pure. */
export function refusedUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopback(u)) return undefined;
  if (u.protocol === 'http:') return 'it is plain http, which anyone on the network path can rewrite';
  return `its scheme is ${u.protocol.replace(/:$/, '')}`;
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

type FileMeta = Record<string, { size: number; sha256: string }>;

interface ParsedModelJson {
  format: 'graph' | 'layers';
  shards: string[];
}

/** A weight file name: relative path segments of ordinary characters, so it stays inside the folder and the origin. */
const SHARD_NAME = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function parseModelJson(body: Buffer, where: string, limits: HubLimits): ParsedModelJson {
  const text = body.toString('utf8');
  if (/^\s*</.test(text)) {
    throw new ConfigurationError(
      `${where} returned HTML, not a model.json (a login page, a proxy or a model page?); check model.hub, or TFAML_HUB_URL if you use a mirror`,
    );
  }
  let j: {
    format?: string;
    modelTopology?: { node?: unknown; model_config?: unknown; class_name?: unknown };
    weightsManifest?: { paths?: unknown }[];
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
  const named = j.weightsManifest.flatMap((g) => (g && Array.isArray(g.paths) ? (g.paths as unknown[]) : []));
  for (const s of named) {
    if (typeof s !== 'string' || !SHARD_NAME.test(s) || s === 'model.json')
      throw new ConfigurationError(
        `${where} names a weight file outside its folder (${JSON.stringify(s)}); refusing to use it`,
      );
  }
  const shards = [...new Set(named as string[])];
  if (shards.length > limits.shards) {
    throw new ConfigurationError(
      `${where} names ${shards.length} weight files, more than the cap of ${limits.shards}. If this model is genuine, raise the cap: ${HUB_LIMIT_ENV.shards}=${shards.length}`,
    );
  }
  return { format: graph ? 'graph' : 'layers', shards };
}

/** Compare what we have with tfaml.lock; every difference named. */
function checkAgainstLock(meta: FileMeta, hub: string, locked: LockedModel | undefined): string {
  const hash = hashFiles(meta);
  if (!locked) return hash;
  const problems: string[] = [];
  if (locked.files) {
    for (const [name, { sha256 }] of Object.entries(meta)) {
      if (locked.files[name] === undefined) problems.push(`${name} is not in tfaml.lock`);
      else if (locked.files[name] !== sha256)
        problems.push(`${name} is ${sha256}, tfaml.lock has ${locked.files[name]}`);
    }
    for (const name of Object.keys(locked.files))
      if (meta[name] === undefined) problems.push(`${name} is in tfaml.lock but not in the model`);
  }
  if (locked.hash && locked.hash !== hash && problems.length === 0)
    problems.push(`the files hash to ${hash}, tfaml.lock has ${locked.hash}`);
  if (problems.length > 0) {
    throw new ConfigurationError(
      `model/hash-mismatch: the model files of ${hub} differ from tfaml.lock: ${problems.join('; ')}. The hub content changed under the same version, or a download was tampered with; pin a new version and run \`tfaml lock\`, or restore the files`,
      { file: 'tfaml.lock' },
    );
  }
  return hash;
}

function shasOf(meta: FileMeta): Record<string, string> {
  return Object.fromEntries(Object.entries(meta).map(([name, f]) => [name, f.sha256]));
}

const MAX_REDIRECTS = 5;

/** GET with redirects followed by hand: each hop must be https (never a downgrade), at most MAX_REDIRECTS of them. */
async function fetchFollowing(url: string, timeoutMs: number): Promise<{ res: Response; url: string }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await fetch(current, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? errorMessage(err);
      throw new ConfigurationError(
        `cannot download ${current}: ${why}; check model.hub and the network (or TFAML_HUB_URL if you use a mirror). A model in the cache is used offline once it has been downloaded`,
      );
    }
    if (res.status < 300 || res.status > 399 || res.status === 304) return { res, url: current };
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if (!location)
      throw new ConfigurationError(
        `${current} answered HTTP ${res.status} without a Location to follow; check model.hub`,
      );
    let next: string;
    try {
      next = new URL(location, current).toString();
    } catch {
      throw new ConfigurationError(
        `${current} redirects to ${JSON.stringify(location)}, which is not a URL; check model.hub`,
      );
    }
    const refused =
      refusedUrl(next) ??
      (new URL(current).protocol === 'https:' && !next.startsWith('https:') ? 'it leaves https' : undefined);
    if (refused)
      throw new ConfigurationError(
        `${current} redirects to ${next}, which tfaml refuses: ${refused}; tfaml follows redirects only to https URLs. Point model.hub (or TFAML_HUB_URL) at an https address that serves the model`,
      );
    if (hop + 1 > MAX_REDIRECTS)
      throw new ConfigurationError(
        `${url} redirected more than ${MAX_REDIRECTS} times (last to ${next}); check model.hub, or TFAML_HUB_URL if you use a mirror`,
      );
    current = next;
  }
}

/** Counts the bytes of one download against its own cap and the model's total. */
interface Budget {
  used: number;
  limits: HubLimits;
  hub: string;
  /** A download (staged, so a refusal leaves nothing in the cache), or a folder read in place. */
  download: boolean;
}

function overTotal(budget: Budget, url: string): ConfigurationError {
  return new ConfigurationError(
    `the model files of ${budget.hub} are larger than the cap of ${formatLimit('totalBytes', budget.limits.totalBytes)} in total (reached at ${url})${budget.download ? '; nothing was cached' : ''}. If this model is genuine, raise the cap: ${HUB_LIMIT_ENV.totalBytes}=<bytes> (e.g. 4GiB)`,
  );
}

function overModelJson(budget: Budget, url: string): ConfigurationError {
  return new ConfigurationError(
    `${url} is larger than the cap of ${formatLimit('modelJsonBytes', budget.limits.modelJsonBytes)} for a model.json (a real one is well under 1 MiB)${budget.download ? '; nothing was cached' : ''}. If this model is genuine, raise the cap: ${HUB_LIMIT_ENV.modelJsonBytes}=<bytes> (e.g. 64MiB)`,
  );
}

/**
 * Download one file, streaming each chunk to `sink` and refusing it the moment it passes a cap (by Content-Length
 * before the body when the server states one, by counting otherwise). Returns the file's size and sha256.
 */
async function download(
  url: string,
  timeoutMs: number,
  budget: Budget,
  isModelJson: boolean,
  sink: (chunk: Uint8Array) => void,
): Promise<{ size: number; sha256: string }> {
  const { res, url: at } = await fetchFollowing(url, timeoutMs);
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new ConfigurationError(
      `${at} answered HTTP ${res.status} ${res.statusText}; check that model.hub names a published tfjs model and version`,
    );
  }
  const type = res.headers.get('content-type') ?? '';
  if (/text\/html/i.test(type)) {
    await res.body?.cancel().catch(() => undefined);
    throw new ConfigurationError(
      `${url} returned HTML, not model files (a login page, a proxy or a model page?); check model.hub, or TFAML_HUB_URL if you use a mirror`,
    );
  }
  const check = (n: number) => {
    if (isModelJson && n > budget.limits.modelJsonBytes) return overModelJson(budget, url);
    if (budget.used + n > budget.limits.totalBytes) return overTotal(budget, url);
    return undefined;
  };
  const stated = Number(res.headers.get('content-length') ?? NaN);
  const early = Number.isFinite(stated) ? check(stated) : undefined;
  if (early) {
    await res.body?.cancel().catch(() => undefined);
    throw early;
  }
  const h = createHash('sha256');
  let size = 0;
  try {
    if (res.body) {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        const over = check(size);
        if (over) throw over;
        h.update(chunk);
        sink(chunk);
      }
    }
  } catch (err) {
    await res.body?.cancel().catch(() => undefined);
    if (err instanceof ConfigurationError) throw err;
    throw new ConfigurationError(
      `the download of ${url} broke off: ${errorMessage(err)}; check the network and run again`,
    );
  }
  budget.used += size;
  return { size, sha256: `sha256:${h.digest('hex')}` };
}

/** Read a folder's model (the user's own, or a cache entry) within the caps, hashing each file. */
function readFolderModel(
  dir: string,
  where: string,
  limits: HubLimits,
): { meta: FileMeta; format: 'graph' | 'layers' } {
  const mj = path.join(dir, 'model.json');
  if (!existsSync(mj))
    throw new ConfigurationError(
      `${where} has no model.json; model.hub must name a folder holding a TensorFlow.js model (model.json and its weight shards)`,
    );
  const budget: Budget = { used: 0, limits, hub: where, download: false };
  const mjSize = statSync(mj).size;
  if (mjSize > limits.modelJsonBytes) throw overModelJson(budget, `${where}/model.json`);
  const body = readFileSync(mj);
  const parsed = parseModelJson(body, `${where}/model.json`, limits);
  const meta: FileMeta = { 'model.json': { size: body.length, sha256: sha256Of(body) } };
  budget.used = body.length;
  for (const s of parsed.shards) {
    let b: Buffer;
    try {
      const size = statSync(path.join(dir, s)).size;
      if (budget.used + size > limits.totalBytes) throw overTotal(budget, `${where}/${s}`);
      b = readFileSync(path.join(dir, s));
    } catch (err) {
      if (err instanceof ConfigurationError) throw err;
      throw new ConfigurationError(
        `${where}/${s}, a weight shard named by model.json, cannot be read (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`,
      );
    }
    budget.used += b.length;
    meta[s] = { size: b.length, sha256: sha256Of(b) };
  }
  return { meta, format: parsed.format };
}

const LOCK_HASH = /^sha256:[0-9a-f]{64}$/;

/** Load (download or reuse) the hub model, checked against tfaml.lock. */
export async function loadHubModel(opts: LoadHubOptions): Promise<HubModel> {
  const handle = parseHubHandle(opts.hub);
  const limits = opts.limits ?? hubLimits();
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
  // The lock's hash becomes a folder name in the cache: anything but a hash could point outside it.
  if (locked?.hash !== undefined && !LOCK_HASH.test(locked.hash)) {
    throw new ConfigurationError(
      `tfaml.lock records the hash of ${opts.hub} as ${JSON.stringify(locked.hash)}, which is not sha256:<64 hex digits>; restore tfaml.lock from git, or run \`tfaml lock\``,
      { file: 'tfaml.lock' },
    );
  }
  if (handle.kind === 'local') {
    const dir = path.resolve(opts.root, handle.path);
    const { meta, format } = readFolderModel(dir, handle.path, limits);
    const hash = checkAgainstLock(meta, opts.hub, locked);
    return { dir, hash, files: shasOf(meta), source: dir, format, fromCache: false };
  }

  const url = modelJsonUrl(opts.hub, opts.hubUrl)!;
  const refused = refusedUrl(url);
  if (refused) {
    throw new ConfigurationError(
      `model.hub resolves to ${url}, which tfaml refuses: ${refused}; tfaml downloads models over https only. Use an https handle${opts.hubUrl ? ' (and an https TFAML_HUB_URL / --hub-url)' : ''}`,
      opts.at,
    );
  }
  const cache = opts.cacheDir ?? hubCacheDir();
  // A locked model already in the cache: no network, but every file is hashed again against the lock first, because
  // the cache is a folder on a shared machine and only the lock is reviewed.
  if (locked?.hash) {
    const dir = path.join(cache, locked.hash.slice('sha256:'.length));
    if (existsSync(path.join(dir, 'model.json'))) {
      try {
        const { meta, format } = readFolderModel(dir, dir, limits);
        const hash = checkAgainstLock(meta, opts.hub, locked);
        return { dir, hash, files: shasOf(meta), source: url, format, fromCache: true };
      } catch (err) {
        opts.log?.warning(
          `the cached copy of ${opts.hub} in ${dir} does not match tfaml.lock (${errorMessage(err)}); downloading it again`,
        );
        discard(cache, dir);
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
  mkdirSync(cache, { recursive: true });
  // Every byte goes to a hidden staging folder first; a cap, a mismatch or a broken download removes it whole.
  const staging = path.join(cache, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  try {
    const budget: Budget = { used: 0, limits, hub: opts.hub, download: true };
    const chunks: Uint8Array[] = [];
    const mjMeta = await download(url, timeout, budget, true, (c) => void chunks.push(c));
    const modelJson = Buffer.concat(chunks);
    writeFileSync(path.join(staging, 'model.json'), modelJson);
    const parsed = parseModelJson(modelJson, url, limits);
    const meta: FileMeta = { 'model.json': mjMeta };
    for (const s of parsed.shards) {
      const target = path.join(staging, s);
      mkdirSync(path.dirname(target), { recursive: true });
      const fd = openSync(target, 'w');
      try {
        meta[s] = await download(siblingUrl(url, s), timeout, budget, false, (c) => void writeSync(fd, c));
      } finally {
        closeSync(fd);
      }
    }
    const hash = checkAgainstLock(meta, opts.hub, locked);
    opts.log?.info(
      `downloaded ${opts.hub}: ${Object.keys(meta).length} files, ${(budget.used / MiB).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const dir = path.join(cache, hash.slice('sha256:'.length));
    if (existsSync(dir)) {
      // An entry under this hash already exists (another run, or an unlocked load): use it only if it holds exactly
      // these files, else replace it with what was just downloaded and checked.
      let same = false;
      try {
        same = hashFiles(readFolderModel(dir, dir, limits).meta) === hash;
      } catch {
        same = false;
      }
      if (!same) {
        opts.log?.warning(`the cached copy of ${opts.hub} in ${dir} is damaged; replacing it`);
        discard(cache, dir);
      }
    }
    if (!existsSync(dir)) {
      try {
        renameSync(staging, dir);
      } catch (err) {
        // Another run filled the same entry first: same hash, same content.
        if (!existsSync(path.join(dir, 'model.json'))) throw err;
      }
    }
    return { dir, hash, files: shasOf(meta), source: url, format: parsed.format, fromCache: false };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Move a bad cache entry aside before deleting it, so a concurrent reader never sees half of it. */
function discard(cache: string, dir: string): void {
  const trash = path.join(cache, `.staging-discard-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    renameSync(dir, trash);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  rmSync(trash, { recursive: true, force: true });
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
