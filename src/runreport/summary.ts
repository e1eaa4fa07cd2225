/**
 * The job summary's part of the report: the same key numbers as the page, and a link to it where the workflow
 * uploaded it. Pure; values from the run's files go through inertMd.
 */
import { inertMd } from '../core/inert.js';
import type { RunReport } from './model.js';

export function reportSummary(r: RunReport, where: { path: string; url?: string }): string {
  const lines = [`### tfaml report: ${inertMd(r.title)}`, ''];
  if (r.headline.length) {
    lines.push('| metric | value |', '|---|---:|');
    for (const k of r.headline) lines.push(`| ${inertMd(k.label)} | ${inertMd(k.text)} |`);
    lines.push('');
  }
  if (r.confusion) {
    // The weakest class is what a reader looks for first in the matrix.
    const worst = [...r.perClass].sort((a, b) => a.f1 - b.f1)[0];
    if (worst) lines.push(`Weakest class: ${inertMd(worst.name)} (F1 ${worst.f1.toFixed(3)}).`, '');
  }
  if (r.decision) {
    const failed = r.decision.gates.filter((g) => g.status === 'fail').map((g) => `${g.metric} ${g.kind}`);
    lines.push(
      `Decision: **${inertMd(r.decision.decision)}**${failed.length ? `; failed: ${inertMd(failed.join(', '))}` : ''}.`,
      '',
    );
  }
  if (r.cost?.estimate || r.cost?.actual !== undefined) {
    const c = r.cost;
    const est = c.estimate ? `estimate ${c.currency} ${c.estimate.expected.toFixed(2)}` : '';
    const act = c.actual !== undefined ? `actual ${c.currency} ${c.actual.toFixed(2)}` : '';
    lines.push(`Cost of the run: ${inertMd([est, act].filter(Boolean).join(', '))}.`, '');
  }
  if (r.missing.length) lines.push(`Missing: ${r.missing.map(inertMd).join('; ')}.`, '');
  // The URL is upload-artifact's output on the runner's own server; checked for its shape all the same.
  if (where.url && /^https:\/\/[^\s()<>[\]]+$/.test(where.url))
    lines.push(
      `[Open the full report (charts, confusion matrix, lineage)](${where.url}) — report.html in the artifact.`,
    );
  else lines.push(`The full report: \`${where.path.replace(/`/g, "'")}\`.`);
  return lines.join('\n') + '\n';
}
