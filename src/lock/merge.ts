/** Folding what the project is now into the lockfile. Pure: the command decides whether to write. */
import type { Lockfile } from './lockfile.js';
import type { Resolved } from './resolve.js';

export interface LockConflict {
  kind: 'environment' | 'data';
  key: string;
  file: string;
  locked: string;
  now: string;
}

export interface MergeResult {
  lock: Lockfile;
  conflicts: LockConflict[];
  added: string[];
}

/**
 * New name:versions are added; a locked name:version whose content changed is a conflict and keeps its locked
 * entry (unless `force`), because the fix is a new version, not a new hash. The model entry follows tfaml.yml,
 * keeping the per-file hashes already recorded while the handle is unchanged (validate's --update-lock resolves a
 * remote model without downloading it, so it has none to offer).
 */
export function mergeLock(
  existing: Lockfile,
  resolved: Resolved,
  modelName: string | undefined,
  opts: { force?: boolean } = {},
): MergeResult {
  const lock: Lockfile = {
    lockfileVersion: 1,
    environments: { ...existing.environments },
    data: { ...existing.data },
    models: { ...existing.models },
  };
  const conflicts: LockConflict[] = [];
  const added: string[] = [];
  for (const [key, now] of resolved.environments) {
    const locked = lock.environments[key];
    if (locked && locked.hash !== now.hash && !opts.force) {
      conflicts.push({ kind: 'environment', key, file: now.file, locked: locked.hash, now: now.hash });
      continue;
    }
    if (!locked) added.push(`environment ${key}`);
    lock.environments[key] = { file: now.file, hash: now.hash };
  }
  for (const [key, now] of resolved.data) {
    const locked = lock.data[key];
    if (locked?.hash !== undefined && now.hash !== undefined && locked.hash !== now.hash && !opts.force) {
      conflicts.push({ kind: 'data', key, file: now.file, locked: locked.hash, now: now.hash });
      continue;
    }
    if (!locked) added.push(`data ${key}`);
    lock.data[key] = { ...now };
  }
  if (modelName && resolved.model) {
    const locked = lock.models[modelName];
    const { local: _local, ...model } = resolved.model;
    if (!locked || locked.hub !== model.hub) added.push(`model ${modelName}`);
    lock.models[modelName] =
      locked && locked.hub === model.hub
        ? {
            ...locked,
            ...model,
            hash: model.hash ?? locked.hash,
            ...((model.files ?? locked.files) ? { files: model.files ?? locked.files } : {}),
          }
        : model;
  }
  return { lock, conflicts, added };
}
