/** lock: record the content hash of every environment, data asset and hub model in tfaml.lock. */
import { loadConfig } from '../config/load.js';
import { loadProject } from '../config/project.js';
import { readLock, serializeLock, writeLock, LOCKFILE_NAME, emptyLock } from '../lock/lockfile.js';
import { mergeLock } from '../lock/merge.js';
import { resolveProject } from '../lock/resolve.js';
import { readBoolean, readChoice, type Inputs, type Output } from '../core/io.js';

export interface LockSettings {
  config: string;
  format: 'text' | 'json';
  /** Overwrite locked versions whose content changed. Only for undoing a mistake that never left a branch. */
  force: boolean;
}

export function readLockSettings(inputs: Inputs): LockSettings {
  return {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    force: readBoolean(inputs, 'force', false),
  };
}

export async function lock(inputs: Inputs, out: Output): Promise<number> {
  const s = readLockSettings(inputs);
  const config = loadConfig(s.config);
  const project = loadProject(config);
  const existing = readLock(config.root);
  const resolved = await resolveProject(project, { log: out.log });
  const merged = mergeLock(existing ?? emptyLock(), resolved, config.model?.name, { force: s.force });

  if (merged.conflicts.length > 0) {
    const lines = merged.conflicts.map(
      (c) =>
        `${c.file}: ${c.kind} ${c.key} is locked as ${c.locked} but is now ${c.now}; a version is immutable: bump its version (or pass --force if this version never left your branch)`,
    );
    if (s.format === 'json') out.print(JSON.stringify({ written: false, conflicts: merged.conflicts }, null, 2) + '\n');
    else out.print(`${LOCKFILE_NAME} not written:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    out.setOutput('changed', 'false');
    return 1;
  }
  const before = existing ? serializeLock(existing) : undefined;
  const after = serializeLock(merged.lock);
  const changed = before !== after;
  if (changed) writeLock(config.root, merged.lock);
  const n = merged.lock;
  const what = `${Object.keys(n.environments).length} environments, ${Object.keys(n.data).length} data assets, ${Object.keys(n.models).length} models`;
  if (s.format === 'json')
    out.print(JSON.stringify({ written: changed, added: merged.added, lock: merged.lock }, null, 2) + '\n');
  else
    out.print(
      `${LOCKFILE_NAME} ${changed ? 'written' : 'unchanged'}: ${what}${merged.added.length ? `; added ${merged.added.join(', ')}` : ''}\n`,
    );
  out.setOutput('lockfile', LOCKFILE_NAME);
  out.setOutput('changed', String(changed));
  return 0;
}
