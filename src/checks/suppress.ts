/**
 * Suppressions: accepted findings, each with a reason. They stay visible: every report lists what was suppressed
 * and why, and a suppression that matches nothing is itself reported so stale ones do not pile up. A suppression a
 * pull request adds still applies, but it is listed apart as new: tfaml.yml is the PR's to change, so a reviewer
 * must see the findings it hides (src/config/policy.ts).
 */
import { isNewSuppression, type SuppressionScope } from '../config/policy.js';
import type { TfamlConfig } from '../config/types.js';
import type { Finding, SuppressedFinding } from '../core/findings.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

/** A suppressed finding; `new` when the suppression that hides it is not on the base. */
export interface Suppressed extends SuppressedFinding {
  new?: true;
}

/** A suppression in the pull request's tfaml.yml that no suppression on the base covers. */
export interface NewSuppression {
  rule: string;
  path?: string;
  reason: string;
  /** Where tfaml.yml declares it. */
  file: string;
  line: number;
  /** How many findings it hides. */
  hides: number;
}

function covers(suppressPath: string | undefined, file: string): boolean {
  if (suppressPath === undefined) return true;
  const p = suppressPath.replace(/\/+$/, '');
  return file === p || file.startsWith(`${p}/`);
}

/**
 * Apply tfaml.yml's suppressions. With `base` (the base's suppressions; empty when the base has no tfaml.yml), the
 * ones it does not cover are returned as `added`, and the findings they hide are marked new.
 */
export function applySuppressions(
  config: TfamlConfig,
  findings: Finding[],
  base?: readonly SuppressionScope[],
): { findings: Finding[]; suppressed: Suppressed[]; added?: NewSuppression[] } {
  const used = new Map<number, number>();
  const isNew = new Set(base ? config.suppress.filter((s) => isNewSuppression(s, base)).map((s) => s.index) : []);
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const f of findings) {
    const s = config.suppress.find((x) => x.rule === f.rule && covers(x.path, f.file));
    if (s) {
      used.set(s.index, (used.get(s.index) ?? 0) + 1);
      suppressed.push({ ...f, reason: s.reason, ...(isNew.has(s.index) ? { new: true as const } : {}) });
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
          `this suppression of ${quote(s.rule)}${s.path ? ` in ${quote(s.path)}` : ''} matched no finding; remove it, or fix its rule or path`,
        ),
      );
    }
  }
  const added = base
    ? config.suppress
        .filter((s) => isNew.has(s.index))
        .map((s) => {
          const at = config.doc.locate(['suppress', s.index]);
          return {
            rule: s.rule,
            ...(s.path === undefined ? {} : { path: s.path }),
            reason: s.reason,
            file: at.file,
            line: at.line ?? 1,
            hides: used.get(s.index) ?? 0,
          };
        })
    : undefined;
  return { findings: kept, suppressed, added };
}
