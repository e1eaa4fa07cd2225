/** owner/missing: everything has an owner (seed article 2.7, 2.8). */
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

export function checkOwners(project: Project): Finding[] {
  const c = project.config;
  if (c.owners.length > 0) return [];
  const out: Finding[] = [];
  const hasKey = c.doc.data && typeof c.doc.data === 'object' && 'owners' in c.doc.data;
  out.push(
    findingAt(
      'owner/missing',
      'error',
      c.doc,
      hasKey ? ['owners'] : ['project'],
      'the project has no owners; add `owners: ["@org/team"]` so someone answers for its cost and its models',
    ),
  );
  const keys = ['environments', 'data', 'compute', 'jobs', 'endpoints'] as const;
  // With no owner anywhere, one finding says it all; once some assets name owners, each one without is listed.
  if (!keys.some((key) => c[key].some((a) => a.owner !== undefined))) return out;
  for (const key of keys) {
    for (const a of c[key]) {
      if (a.owner === undefined) {
        out.push(
          findingAt(
            'owner/missing',
            'error',
            c.doc,
            [key, a.index],
            `${quote(a.path)} has no owner (and the project has none to inherit); add \`owner: "@org/team"\` here or \`owners:\` at the top`,
          ),
        );
      }
    }
  }
  return out;
}
