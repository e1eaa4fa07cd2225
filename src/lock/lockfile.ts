/**
 * tfaml.lock: the resolved version and content hash of every environment, data asset and hub model. Written only
 * by `tfaml lock` (or `validate --update-lock`): sorted, deterministic JSON, written to a temporary file in the same
 * folder and renamed over the old one, so a crash never leaves half a lockfile.
 *
 * Entries are keyed name:version and are never dropped when a file stops referencing them: a version, once locked,
 * stays bound to its content, so re-using an old version number for new content is caught too.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import { canonicalJson } from '../core/canonical.js';
import { writeFileAtomic } from '../core/fs.js';

export const LOCKFILE_NAME = 'tfaml.lock';

export interface LockedEnvironment {
  /** The environment YAML it was read from, project-relative. */
  file: string;
  /** sha256 over the definition: the YAML minus name/version/description/tags, the conda file, the build context. */
  hash: string;
}

export interface LockedData {
  file: string;
  /** Present when tfaml.yml names a local copy; the hash is over that copy. */
  local?: string;
  hash?: string;
  files?: number;
  bytes?: number;
  /** Where the asset lives in Azure (the YAML's `path`). */
  path?: string;
}

export interface LockedModel {
  hub: string;
  /** The version in the hub handle, when it has one. */
  version?: string;
  /** sha256 over the model files (model.json and every weight shard), same scheme as data folders. */
  hash?: string;
  /**
   * sha256 of each file by name. `tfaml lock` records them for a remote model (downloading it once), so train checks
   * every download, and every cached copy, against the reviewed lock rather than trusting the first download.
   */
  files?: Record<string, string>;
}

export interface Lockfile {
  lockfileVersion: 1;
  environments: Record<string, LockedEnvironment>;
  data: Record<string, LockedData>;
  models: Record<string, LockedModel>;
}

export function emptyLock(): Lockfile {
  return { lockfileVersion: 1, environments: {}, data: {}, models: {} };
}

export function lockPath(root: string): string {
  return path.join(root, LOCKFILE_NAME);
}

/** Read tfaml.lock; undefined when there is none. A damaged lockfile is a ConfigurationError, never ignored. */
export function readLock(root: string): Lockfile | undefined {
  const file = lockPath(root);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigurationError(
      `${LOCKFILE_NAME} is not valid JSON (${(err as Error).message}); restore it from git or delete it and run \`tfaml lock\``,
      { file: LOCKFILE_NAME, line: 1 },
    );
  }
  const l = parsed as Partial<Lockfile>;
  if (
    !l ||
    typeof l !== 'object' ||
    l.lockfileVersion !== 1 ||
    typeof l.environments !== 'object' ||
    typeof l.data !== 'object' ||
    typeof l.models !== 'object'
  ) {
    throw new ConfigurationError(
      `${LOCKFILE_NAME} is not a version 1 tfaml lockfile (it needs lockfileVersion: 1, environments, data, models); restore it from git or delete it and run \`tfaml lock\``,
      { file: LOCKFILE_NAME, line: 1 },
    );
  }
  return l as Lockfile;
}

export function serializeLock(lock: Lockfile): string {
  return canonicalJson(lock, 2) + '\n';
}

export function writeLock(root: string, lock: Lockfile): void {
  writeFileAtomic(lockPath(root), serializeLock(lock));
}
