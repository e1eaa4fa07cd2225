/** lock: record the content hash of every environment, data asset and hub model in tfaml.lock. */
import { loadConfig } from '../config/load.js';
import { loadProject } from '../config/project.js';
import { readLock, serializeLock, writeLock, LOCKFILE_NAME, emptyLock } from '../lock/lockfile.js';
import { mergeLock } from '../lock/merge.js';
import { resolveProject, type RemoteModelHashes } from '../lock/resolve.js';
import { readBoolean, readChoice, type Inputs, type Output } from '../core/io.js';

export interface LockSettings {
  config: string;
  format: 'text' | 'json';
  /** Overwrite locked versions whose content changed. Only for undoing a mistake that never left a branch. */
  force: boolean;
  /** Replaces https://tfhub.dev and https://www.kaggle.com, as for train (env TFAML_HUB_URL). */
  hubUrl?: string;
}

export function readLockSettings(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): LockSettings {
  return {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    force: readBoolean(inputs, 'force', false),
    hubUrl: env.TFAML_HUB_URL || undefined,
  };
}

export async function lock(inputs: Inputs, out: Output): Promise<number> {
  const s = readLockSettings(inputs);
  const config = loadConfig(s.config);
  const project = loadProject(config);
  const existing = readLock(config.root);
  const lockedModel = config.model ? existing?.models[config.model.name] : undefined;
  // A remote model's files are hashed here, once, so that the lock a reviewer approves already pins them: train then
  // checks every download and every cached copy against it instead of recording whatever it first received.
  const remoteModel: RemoteModelHashes = async (hub) => {
    if (lockedModel?.hub === hub && lockedModel.hash && lockedModel.files && Object.keys(lockedModel.files).length > 0)
      return { hash: lockedModel.hash, files: lockedModel.files };
    const { loadHubModel } = await import('../adapters/hub/loader.js');
    const m = await loadHubModel({
      hub,
      root: config.root,
      locked: lockedModel,
      hubUrl: s.hubUrl,
      log: out.log,
      at: config.doc.locate(['model', 'hub']),
    });
    return { hash: m.hash, files: m.files };
  };
  const resolved = await resolveProject(project, { log: out.log, remoteModel });
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
