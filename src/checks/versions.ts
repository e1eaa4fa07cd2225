/**
 * env/version-not-bumped: compared with the pull request's base, an environment whose definition changed must
 * carry a new version ("updating environments without versioning", seed article 2.4).
 */
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { Project } from '../config/project.js';
import { relPath } from '../config/load.js';
import type { Finding } from '../core/findings.js';
import { canonicalJson } from '../core/canonical.js';
import { environmentDefinition } from '../lock/resolve.js';
import type { BaseRef } from '../core/ports.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

function parseLoose(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const doc = parseDocument(text);
  return doc.errors.length ? text : doc.toJS();
}

export function checkVersionBumps(project: Project, base: BaseRef): Finding[] {
  const out: Finding[] = [];
  for (const env of project.environments) {
    const before = parseLoose(base.readFile(env.doc.file));
    if (!before || typeof before !== 'object') continue; // a new file: nothing to compare
    const b = before as Record<string, unknown>;
    const beforeVersion = b.version === undefined ? undefined : String(b.version);
    if (String(b.name) !== env.name || beforeVersion !== env.version) continue;

    const changed: string[] = [];
    if (canonicalJson(environmentDefinition(b)) !== canonicalJson(environmentDefinition(env.doc.data)))
      changed.push('the environment file');
    if (env.conda) {
      const beforeConda =
        typeof b.conda_file === 'string'
          ? relPath(path.posix.join(path.posix.dirname(env.doc.file), b.conda_file))
          : undefined;
      const was = beforeConda === undefined ? undefined : parseLoose(base.readFile(beforeConda));
      if (canonicalJson(was ?? null) !== canonicalJson(env.conda.data))
        changed.push(`the conda file ${quote(env.conda.file)}`);
    }
    if (env.build && base.changedSince(env.build.dir)) changed.push(`the build context ${quote(env.build.dir)}`);
    if (changed.length === 0) continue;
    const next =
      env.version !== undefined && /^\d+$/.test(env.version) ? String(Number(env.version) + 1) : '<a new version>';
    out.push(
      findingAt(
        'env/version-not-bumped',
        'error',
        env.doc,
        env.version === undefined ? ['name'] : ['version'],
        `${changed.join(', ')} changed since ${base.name} but the version is still ${env.version === undefined ? '(none)' : quote(env.version)}; an environment version is immutable once built: set \`version: "${next}"\``,
      ),
    );
  }
  return out;
}
