/**
 * The lockfile checks: env/immutable-conflict, data/hash-mismatch, model/hash-mismatch and lock/missing-entry (which
 * includes a remote hub model locked by its handle alone, without the hashes of its files).
 * A name:version is immutable: once locked (or registered) with some content, other content needs a new version.
 */
import { parseHubHandle } from '../config/hub.js';
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { LOCKFILE_NAME, type Lockfile } from '../lock/lockfile.js';
import type { Resolved } from '../lock/resolve.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

export function checkLock(project: Project, resolved: Resolved, lock: Lockfile | undefined): Finding[] {
  const c = project.config;
  if (!lock) {
    const anything = resolved.environments.size + resolved.data.size + (resolved.model ? 1 : 0);
    if (anything === 0) return [];
    return [
      findingAt(
        'lock/missing-entry',
        'warning',
        c.doc,
        ['project'],
        `there is no ${LOCKFILE_NAME}, so nothing pins the content of the environments, data and hub model; run \`tfaml lock\` and commit ${LOCKFILE_NAME}`,
      ),
    ];
  }
  const out: Finding[] = [];
  for (const [key, now] of resolved.environments) {
    const locked = lock.environments[key];
    const env = now.env;
    if (!locked) {
      out.push(
        findingAt(
          'lock/missing-entry',
          'warning',
          env.doc,
          ['version'],
          `environment ${quote(key)} is not in ${LOCKFILE_NAME}; run \`tfaml lock\` and commit it`,
        ),
      );
    } else if (locked.hash !== now.hash) {
      out.push(
        findingAt(
          'env/immutable-conflict',
          'error',
          env.doc,
          ['version'],
          `environment ${quote(key)} is locked with different content (${LOCKFILE_NAME} has ${locked.hash.slice(0, 19)}…, this file is ${now.hash.slice(0, 19)}…); an environment version is immutable: bump \`version\` and run \`tfaml lock\``,
        ),
      );
    }
  }
  for (const d of project.data) {
    if (d.version === undefined) continue;
    const key = `${d.name}:${d.version}`;
    const now = resolved.data.get(key);
    const locked = lock.data[key];
    if (!now) continue;
    if (!locked) {
      out.push(
        findingAt(
          'lock/missing-entry',
          'warning',
          d.doc,
          ['version'],
          `data ${quote(key)} is not in ${LOCKFILE_NAME}; run \`tfaml lock\` and commit it`,
        ),
      );
    } else if (now.hash !== undefined && locked.hash !== undefined && now.hash !== locked.hash) {
      out.push(
        findingAt(
          'data/hash-mismatch',
          'error',
          c.doc,
          ['data', d.entry.index, 'local'],
          `the local copy ${quote(now.local)} (${now.files} files) differs from what ${LOCKFILE_NAME} records for ${quote(key)}; data under one version must not change: bump the data asset's version in ${quote(d.doc.file)} and run \`tfaml lock\`, or restore the data`,
        ),
      );
    }
  }
  const m = c.model;
  if (m && resolved.model) {
    const locked = lock.models[m.name];
    if (!locked) {
      out.push(
        findingAt(
          'lock/missing-entry',
          'warning',
          c.doc,
          ['model', 'hub'],
          `model ${quote(m.name)} is not in ${LOCKFILE_NAME}; run \`tfaml lock\` and commit it`,
        ),
      );
    } else if (locked.hub !== m.hub) {
      out.push(
        findingAt(
          'lock/missing-entry',
          'warning',
          c.doc,
          ['model', 'hub'],
          `the hub handle changed since ${LOCKFILE_NAME} was written (it has ${quote(locked.hub)}); run \`tfaml lock\` to record the new model`,
        ),
      );
    } else if (
      parseHubHandle(m.hub).kind !== 'local' &&
      !(locked.hash && locked.files && Object.keys(locked.files).length > 0)
    ) {
      // Without the files' hashes, the first train on a runner would record whatever the hub served into its own
      // uncommitted copy of the lock: nothing a reviewer approved would pin the model.
      out.push(
        findingAt(
          'lock/missing-entry',
          'warning',
          c.doc,
          ['model', 'hub'],
          `${LOCKFILE_NAME} records model ${quote(m.name)} without the sha256 of its files, so nothing checks what the hub serves; run \`tfaml lock\` (it downloads the model once and records model.json and every shard) and commit ${LOCKFILE_NAME}`,
        ),
      );
    } else if (resolved.model.hash !== undefined && locked.hash !== undefined && resolved.model.hash !== locked.hash) {
      out.push(
        findingAt(
          'model/hash-mismatch',
          'error',
          c.doc,
          ['model', 'hub'],
          `the model files in ${quote(resolved.model.local)} differ from what ${LOCKFILE_NAME} records; restore them, or if the change is intended, run \`tfaml lock\` and review the diff`,
        ),
      );
    }
  }
  return out;
}
