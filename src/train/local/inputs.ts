/**
 * What a local run trains from, checked against tfaml.lock: the data asset's local folder, whose hash must be the
 * locked one (a version's data never changes), and the hub model, whose hash and files are recorded in the lock the
 * first time (or when the handle changed).
 */
import { projectCacheDir } from '../../core/cache.js';
import path from 'node:path';
import type { Project } from '../../config/project.js';
import type { ModelConfig, TrainConfig } from '../../config/types.js';
import { ConfigurationError } from '../../core/errors.js';
import type { Log } from '../../core/ports.js';
import { hashFolder } from '../../lock/hash.js';
import { emptyLock, LOCKFILE_NAME, readLock, writeLock, type Lockfile } from '../../lock/lockfile.js';
import type { LocalRun } from './run.js';

export interface LocalData {
  data: LocalRun['data'];
  /** The project's cache folder (src/core/cache.ts): the data hash's stat cache and the features. */
  cacheDir: string;
  /** tfaml.lock as it is now, if there is one. */
  lock: Lockfile | undefined;
}

/** train.data's asset (or the only one), its local folder hashed and checked against tfaml.lock. */
export async function localData(project: Project, t: TrainConfig): Promise<LocalData> {
  const config = project.config;
  const data =
    project.data.find((d) => d.name === t.data) ??
    (t.data === undefined && project.data.length === 1 ? project.data[0] : undefined);
  if (!data)
    throw new ConfigurationError(
      `train.data ${JSON.stringify(t.data ?? '')} names no data asset in tfaml.yml (there are: ${project.data.map((d) => d.name).join(', ') || 'none'})`,
      { file: config.doc.file },
    );
  if (!data.entry.local)
    throw new ConfigurationError(
      `data asset ${data.name} has no \`local\` copy; local training reads the images from it (add local: <folder>)`,
      { file: config.doc.file },
    );
  const dir = path.join(config.root, data.entry.local);
  const cacheDir = projectCacheDir(config.root);
  const hash = (await hashFolder(dir, data.entry.local, { cacheDir })).hash;
  const lock = readLock(config.root);
  const dataKey = `${data.name}:${data.version ?? ''}`;
  const lockedData = lock?.data[dataKey];
  if (lockedData?.hash && lockedData.hash !== hash) {
    throw new ConfigurationError(
      `data/hash-mismatch: ${data.entry.local} differs from what ${LOCKFILE_NAME} records for ${dataKey}; a version's data never changes: restore it, or give the data a new version and run \`tfaml lock\``,
      { file: data.doc.file },
    );
  }
  return {
    data: { name: data.name, version: data.version, dir, display: data.entry.local, hash },
    cacheDir,
    lock,
  };
}

/** Records the hub model's hash and files in tfaml.lock unless it already holds them for this handle. */
export function recordHubInLock(
  root: string,
  lock: Lockfile | undefined,
  m: ModelConfig,
  hub: { hash: string; files: Record<string, string> },
  log: Log,
): void {
  const locked = lock?.models[m.name];
  if (locked && locked.hub === m.hub && locked.hash && locked.files) return;
  const next = lock ?? emptyLock();
  const handleVersion = locked?.hub === m.hub ? locked.version : undefined;
  next.models[m.name] = {
    ...(locked?.hub === m.hub ? locked : {}),
    hub: m.hub,
    ...(handleVersion ? { version: handleVersion } : {}),
    hash: hub.hash,
    files: hub.files,
  };
  writeLock(root, next);
  log.info(`${LOCKFILE_NAME}: recorded the hash of ${m.hub} and of its ${Object.keys(hub.files).length} files`);
}
