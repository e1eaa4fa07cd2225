/**
 * Suppressions: accepted findings, each with a reason. They stay visible: every report lists what was suppressed
 * and why, and a suppression that matches nothing is itself reported so stale ones do not pile up.
 */
import type { TfamlConfig } from '../config/types.js';
import type { Finding, SuppressedFinding } from '../core/findings.js';
import { findingAt } from './finding.js';

function covers(suppressPath: string | undefined, file: string): boolean {
  if (suppressPath === undefined) return true;
  const p = suppressPath.replace(/\/+$/, '');
  return file === p || file.startsWith(`${p}/`);
}

export function applySuppressions(
  config: TfamlConfig,
  findings: Finding[],
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const used = new Set<number>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const s = config.suppress.find((x) => x.rule === f.rule && covers(x.path, f.file));
    if (s) {
      used.add(s.index);
      suppressed.push({ ...f, reason: s.reason });
    } else kept.push(f);
  }
  for (const s of config.suppress) {
    if (!used.has(s.index)) {
      kept.push(
        findingAt(
          'suppress/unused',
          'warning',
          config.doc,
          ['suppress', s.index],
          `this suppression of ${s.rule}${s.path ? ` in ${s.path}` : ''} matched no finding; remove it, or fix its rule or path`,
        ),
      );
    }
  }
  return { findings: kept, suppressed };
}
