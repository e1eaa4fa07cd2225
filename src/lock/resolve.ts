/**
 * What the project's environments, data and hub model are right now: the fingerprints tfaml.lock records and
 * validate compares against it. Hashing goes through the stat cache, so unchanged data is not read again.
 */
import { projectCacheDir } from '../core/cache.js';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseHubHandle } from '../config/hub.js';
import type { EnvironmentFile, Project } from '../config/project.js';
import type { Log } from '../core/ports.js';
import { ConfigurationError } from '../core/errors.js';
import { canonicalize, sha256 } from '../core/canonical.js';
import { hashFolder } from './hash.js';
import type { LockedData, LockedEnvironment, LockedModel } from './lockfile.js';

/** Keys of an environment YAML that describe it rather than define it: changing them is not a new environment. */
const ENV_META_KEYS = new Set(['$schema', 'name', 'version', 'description', 'tags', 'properties']);

/** The part of an environment YAML that defines it. */
export function environmentDefinition(data: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) if (!ENV_META_KEYS.has(k)) out[k] = v;
  }
  return out;
}

/**
 * sha256 over the canonical JSON of { definition, conda, build }: the YAML minus its metadata, the conda file's
 * parsed content (so reformatting or comments do not count as change), and the build context's folder hash.
 */
export function environmentHash(parts: { definition: unknown; conda?: unknown; build?: string }): string {
  return sha256(
    JSON.stringify(
      canonicalize({ definition: parts.definition, conda: parts.conda ?? null, build: parts.build ?? null }),
    ),
  );
}

export interface Resolved {
  environments: Map<string, LockedEnvironment & { env: EnvironmentFile }>;
  data: Map<string, LockedData>;
  model?: LockedModel & { local?: string };
}

export interface ResolveOptions {
  log?: Log;
  /** Where the stat cache lives; default projectCacheDir (src/core/cache.ts). */
  cacheDir?: string;
  /**
   * The hashes of a remote hub model (its files and the hash over them). `tfaml lock` passes one backed by the hub
   * adapter (a download, or the verified cache), so the lock pins the files before any train trusts a download;
   * validate passes none and records a remote model by its handle only, without the network.
   */
  remoteModel?: RemoteModelHashes;
}

/** A port onto the hub: the `files` and `hash` tfaml.lock records for a remote `model.hub`. */
export type RemoteModelHashes = (hub: string) => Promise<{ hash: string; files: Record<string, string> }>;

function progress(log: Log | undefined, what: string) {
  if (!log) return undefined;
  const started = Date.now();
  return (p: { files: number; totalFiles: number; bytes: number; totalBytes: number }) => {
    const s = (Date.now() - started) / 1000;
    if (s < 1) return; // only long hashing deserves a progress line
    const mb = p.bytes / 1048576;
    log.progress(
      `hashing ${what}: ${p.files}/${p.totalFiles} files, ${mb.toFixed(0)}/${(p.totalBytes / 1048576).toFixed(0)} MiB, ${(mb / s).toFixed(0)} MiB/s`,
    );
  };
}

/** The hash tfaml.lock records for one environment file (its build context hashed through the stat cache). */
export async function environmentContentHash(
  root: string,
  env: EnvironmentFile,
  opts: { log?: Log; cacheDir: string },
): Promise<string> {
  let build: string | undefined;
  if (env.build) {
    build = (
      await hashFolder(path.join(root, env.build.dir), env.build.dir, {
        cacheDir: opts.cacheDir,
        onProgress: progress(opts.log, env.build.dir),
      })
    ).hash;
  }
  return environmentHash({ definition: environmentDefinition(env.doc.data), conda: env.conda?.data, build });
}

export async function resolveProject(project: Project, opts: ResolveOptions = {}): Promise<Resolved> {
  const root = project.config.root;
  const cacheDir = opts.cacheDir ?? projectCacheDir(root);
  const environments: Resolved['environments'] = new Map();
  for (const env of project.environments) {
    if (!env.name || env.version === undefined) continue;
    const hash = await environmentContentHash(root, env, { ...opts, cacheDir });
    environments.set(`${env.name}:${env.version}`, { file: env.doc.file, hash, env });
  }

  const data: Resolved['data'] = new Map();
  for (const d of project.data) {
    if (!d.name || d.version === undefined) continue;
    const entry: LockedData = { file: d.doc.file, path: d.path };
    if (d.entry.local) {
      const h = await hashFolder(path.join(root, d.entry.local), d.entry.local, {
        cacheDir,
        onProgress: progress(opts.log, d.entry.local),
      }).catch((err: unknown) => {
        // Point at the line in tfaml.yml that names the folder too: that is where a user looks first.
        if (err instanceof ConfigurationError && !err.location?.line) {
          throw new ConfigurationError(
            `data[${d.entry.index}].local ${d.entry.local}: ${err.message}`,
            project.config.doc.locate(['data', d.entry.index, 'local']),
            err.more,
          );
        }
        throw err;
      });
      Object.assign(entry, { local: d.entry.local, hash: h.hash, files: h.files, bytes: h.bytes });
    }
    data.set(`${d.name}:${d.version}`, entry);
  }

  let model: Resolved['model'];
  const m = project.config.model;
  if (m) {
    const handle = parseHubHandle(m.hub);
    model = { hub: m.hub };
    if (handle.kind === 'tfhub' || handle.kind === 'kaggle') model.version = handle.version;
    if (handle.kind === 'local') {
      const dir = path.resolve(root, handle.path);
      if (existsSync(dir) && statSync(dir).isDirectory()) {
        const rel = path.relative(root, dir).split(path.sep).join('/');
        model.hash = (await hashFolder(dir, rel, { cacheDir })).hash;
        model.local = rel;
      }
    } else if (opts.remoteModel) {
      const { hash, files } = await opts.remoteModel(m.hub);
      Object.assign(model, { hash, files });
    }
  }
  return { environments, data, model };
}
