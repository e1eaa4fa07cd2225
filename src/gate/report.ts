/**
 * The promotion decision report, one structure rendered three ways: text (the CLI), markdown (the job summary) and
 * JSON (`--format json` and the `report-json` output). All three carry the same rows and the same words.
 */
import { inertMessage, mdCode } from '../core/inert.js';
import type { GateRow } from './evaluate.js';
import type { BumpDecision } from './semver.js';

/**
 * - promoted: the gates passed and production got a new version, now the champion.
 * - unchanged: the gates passed and production already had this candidate (idempotent re-run); it is the champion.
 * - would-promote: the gates passed, but this is not the promote branch, so nothing was written.
 * - rejected: a gate failed; nothing was written.
 * - lost: another promotion changed the champion first; nothing was written.
 * - rolled-back: an earlier production version is the champion again.
 * - would-roll-back: a rollback asked for off the promote branch; nothing was written.
 */
export type Decision =
  'promoted' | 'unchanged' | 'would-promote' | 'rejected' | 'lost' | 'rolled-back' | 'would-roll-back';

export interface PromoteReport {
  decision: Decision;
  model: string;
  /** The experiment version evaluated (absent for a rollback). */
  candidate?: { registry: string; version: string; contentHash: string; metrics: Record<string, number> };
  champion?: { version: string; metrics: Record<string, number> };
  gates: GateRow[];
  /** The production version written, reused or rolled back to; absent when nothing was. */
  productionVersion?: string;
  /** A rollback's target version (also when nothing was written). */
  rollbackTo?: string;
  /** The version it would get (also when nothing was written). */
  bump?: BumpDecision & { version: string };
  branch: { current: string; required: string; source: string; allowed: boolean };
  production: string;
  /** Plain sentences: why nothing was written, who won a race, assumed directions, skipped change thresholds. */
  notes: string[];
  written: boolean;
}

export const EXIT: Record<Decision, 0 | 1> = {
  promoted: 0,
  unchanged: 0,
  'would-promote': 0,
  rejected: 1,
  lost: 1,
  'rolled-back': 0,
  'would-roll-back': 0,
};

const HEADLINE: Record<Decision, string> = {
  promoted: '✅ promoted',
  unchanged: '✅ already in production',
  'would-promote': '✅ gates passed (nothing written)',
  rejected: '❌ rejected',
  lost: '❌ lost the race',
  'rolled-back': '↩️ rolled back',
  'would-roll-back': '↩️ rollback not written',
};

function headline(r: PromoteReport): string {
  const what = r.candidate ? `${r.model} experiment version ${r.candidate.version}` : r.model;
  const where = r.productionVersion
    ? ` → production ${r.productionVersion}`
    : r.bump && r.decision === 'would-promote'
      ? ` (would be production ${r.bump.version})`
      : r.rollbackTo
        ? ` → production ${r.rollbackTo}`
        : '';
  return `${HEADLINE[r.decision]}: ${what}${where}`;
}

function threshold(row: GateRow): string {
  switch (row.kind) {
    case 'min':
      return `≥ ${row.threshold}`;
    case 'max':
      return `≤ ${row.threshold}`;
    case 'max-drop':
      return `drop ≤ ${row.threshold}`;
    case 'max-drop-pct':
      return `drop ≤ ${row.threshold}%`;
  }
}

const MARK = { pass: '✔ pass', fail: '✖ fail', skipped: '– skipped' } as const;
const MD_MARK = { pass: '✅ pass', fail: '❌ fail', skipped: '⏭️ skipped' } as const;

function direction(row: GateRow): string {
  return `${row.direction === 'higher' ? '↑' : '↓'}${row.directionKnown ? '' : '?'}`;
}

export function toText(r: PromoteReport): string {
  const lines = [headline(r)];
  if (r.champion) lines.push(`champion: production ${r.champion.version}`);
  else if (r.candidate) lines.push('champion: none yet');
  if (r.gates.length) {
    const table = [['gate', 'metric', '', 'candidate', 'champion', 'threshold', 'result', 'reason']];
    for (const g of r.gates)
      table.push([
        String(g.gate),
        g.metric,
        direction(g),
        g.candidateText,
        g.championText,
        threshold(g),
        MARK[g.status],
        g.reason,
      ]);
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table)
      lines.push(
        '  ' +
          row
            .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!)))
            .join('  ')
            .trimEnd(),
      );
  } else if (r.candidate) {
    lines.push('no gates in tfaml.yml: nothing to check');
  }
  if (r.bump) lines.push(`version: ${r.bump.version} (${r.bump.bump}: ${r.bump.why})`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

/** Metric names, values and reasons come from files a pull request controls: rendered inert. */
const mdCell = inertMessage;

export function toMarkdown(r: PromoteReport): string {
  const lines = [`### tfaml promote: ${headline(r)}`, ''];
  lines.push(
    `Production: ${r.production}. Branch: \`${r.branch.current}\` (${r.branch.source}); production is written only from \`${r.branch.required}\`.`,
    '',
  );
  if (r.candidate)
    lines.push(
      `Candidate: ${r.candidate.registry}, version ${r.candidate.version} (\`${r.candidate.contentHash.slice(0, 19)}…\`). Champion: ${r.champion ? `production ${r.champion.version}` : 'none yet'}.`,
      '',
    );
  if (r.gates.length) {
    lines.push(
      '| gate | metric | better | candidate | champion | threshold | result | reason |',
      '|---:|---|:---:|---:|---:|---|---|---|',
    );
    for (const g of r.gates) {
      const better = `${g.direction === 'higher' ? 'higher' : 'lower'}${g.directionKnown ? '' : ' (assumed)'}`;
      lines.push(
        `| ${g.gate} | ${mdCode(g.metric, { table: true })} | ${better} | ${mdCell(g.candidateText)} | ${mdCell(g.championText)} | ${mdCell(threshold(g))} | ${MD_MARK[g.status]} | ${mdCell(g.reason)} |`,
      );
    }
    lines.push('');
  }
  if (r.bump) lines.push(`Version **${r.bump.version}**: ${r.bump.bump} (${r.bump.why}).`, '');
  for (const n of r.notes) lines.push(`> ${inertMessage(n)}`, '');
  return lines.join('\n');
}

export function toJson(r: PromoteReport): PromoteReport {
  return r;
}
