/**
 * The cost report as markdown: the PR comment, the job summary and the CLI's output are the same text. The hidden
 * marker names the project, so a repository with several tfaml projects gets one comment per project.
 */
import type { ActualCost, BudgetVerdict, CostDiff, Estimate, Range } from './estimate.js';
import { fmtHours, money } from './estimate.js';
import { inertMd, inertMessage, mdCode } from '../core/inert.js';
import { describeChange, type PolicySource } from '../config/policy.js';
import { ccLine } from '../report/owners.js';

export function marker(project: string): string {
  return `<!-- tfaml-cost: ${project} -->`;
}

export interface CostReport {
  estimate: Estimate;
  diff?: CostDiff;
  budget: BudgetVerdict;
  /** With a base: whose limits the budget applied, and what the pull request would change about them. */
  policy?: PolicySource;
  actual?: ActualCost;
  /** Why the comment is in the summary instead (fork pull requests). */
  notPostedBecause?: string;
  /** With a base: the base's owners of the assets this pull request changes (src/config/owners.ts). */
  cc?: string[];
  /** The run report's artifact URL, only as src/cost/report-link.ts accepted and rebuilt it. */
  reportUrl?: string;
}

const sign = (x: number, cur: string) =>
  Math.abs(x) < 0.005 ? '±' + money(0, cur) : x > 0 ? `+${money(x, cur)}` : money(x, cur);
const rng = (a: Range, cur: string) => `${money(a.low, cur)} – ${money(a.high, cur)}`;
// Names and details come from the pull request's files: rendered inert (no mention, link, image, HTML or cell break).
const cell = inertMd;

export function renderMarkdown(rep: CostReport): string {
  const e = rep.estimate;
  const cur = e.currency;
  const out: string[] = [marker(e.project), `## tfaml cost: ${e.project}`, ''];

  const verdict =
    rep.budget.verdict === 'over'
      ? '❌ over budget'
      : rep.budget.verdict === 'overridden'
        ? `⚠️ over budget, approved by the ${mdCode(rep.budget.overrideLabel ?? '')} label`
        : rep.budget.verdict === 'within'
          ? '✅ within budget'
          : 'no budget set';
  const runChange =
    rep.diff && !rep.diff.baseMissing
      ? ` (${sign(rep.diff.run.change, cur)} vs ${mdCode(rep.diff.base, { table: true })})`
      : '';
  const monthChange =
    rep.diff && !rep.diff.baseMissing
      ? ` (${sign(rep.diff.month.change, cur)} vs ${mdCode(rep.diff.base, { table: true })})`
      : '';
  out.push(`| | expected | range |`, `|---|---:|---|`);
  out.push(`| **one training run** | **${money(e.run.expected, cur)}**${runChange} | ${rng(e.run, cur)} |`);
  out.push(`| **always-on, per month** | **${money(e.month.expected, cur)}**${monthChange} | ${rng(e.month, cur)} |`);
  const limits = [
    rep.budget.budgetUsd !== undefined && `\`budget-usd\` ${money(rep.budget.budgetUsd)} per run`,
    rep.budget.maxIncreaseUsd !== undefined &&
      `\`max-increase-usd\` ${money(rep.budget.maxIncreaseUsd)}${rep.diff ? '' : ', not checked without a base'}`,
  ].filter(Boolean);
  const fromBase = rep.policy?.from === 'base';
  const whose = rep.policy
    ? fromBase
      ? ` — the limits in tfaml.yml at ${mdCode(rep.policy.ref)}`
      : " — this PR's own limits"
    : '';
  out.push(
    '',
    `**Budget:** ${verdict}${limits.length ? ` (${limits.join('; ')})` : ` (set \`cost.budget-usd\` and \`cost.max-increase-usd\` in tfaml.yml${fromBase ? ' on the base' : ''} to gate on cost)`}${whose}`,
    '',
  );
  // A pull request cannot raise its own budget: the base's tfaml.yml sets the limits until the PR merges.
  if (rep.policy?.from === 'base' && rep.policy.changes.length > 0) {
    out.push(...rep.policy.changes.map((c) => `> ⚠️ ${describeChange(c, (v) => mdCode(v))}.`), '');
  } else if (rep.policy?.from === 'pr') {
    out.push(
      `> The limits are this PR's own: ${inertMd(rep.policy.reason)}. Once tfaml.yml is on the base, the base's limits judge pull requests.`,
      '',
    );
  }

  if (rep.budget.breaches.length > 0) {
    for (const b of rep.budget.breaches) {
      const what =
        b.limit === 'budget-usd'
          ? `one training run is expected to cost ${money(b.value)}`
          : b.period === 'run'
            ? `one training run costs ${money(b.value)} more than on the base`
            : `always-on capacity costs ${money(b.value)} more per month than on the base`;
      out.push(`- \`cost.${b.limit}\` is ${money(b.max)}: ${what}.`);
    }
    if (rep.budget.verdict === 'over') {
      out.push(
        '',
        rep.budget.overrideLabel
          ? `To go ahead anyway, add the label ${mdCode(rep.budget.overrideLabel)} to this pull request (someone who owns the budget should), or bring the cost down: a smaller size, fewer instances, a shorter \`limits.timeout\`, \`tier: low_priority\`, or no always-on capacity.`
          : fromBase
            ? 'No `cost.override-label` is configured on the base, so this can only pass by bringing the cost down, or by raising the limit in tfaml.yml in a pull request of its own.'
            : 'No `cost.override-label` is configured, so this can only pass by bringing the cost down or raising the limit in tfaml.yml.',
      );
    }
    out.push('');
  }

  out.push('### Estimate', '', '| item | how | low | expected | high |', '|---|---|---:|---:|---:|');
  for (const i of e.items) {
    out.push(
      `| ${cell(i.label)}${i.period === 'month' ? ' (per month)' : ''} | ${cell(i.detail)} | ${money(i.cost.low, cur)} | ${money(i.cost.expected, cur)} | ${money(i.cost.high, cur)} |`,
    );
  }
  out.push('');
  if (e.hours)
    out.push(
      `Training hours per run: ${fmtHours(e.hours.range.low)} / ${fmtHours(e.hours.range.expected)} / ${fmtHours(e.hours.range.high)}, from ${e.hours.source}.`,
      '',
    );
  const alwaysOn = e.items.filter((i) => i.alwaysOn);
  if (alwaysOn.length > 0) {
    out.push(
      `> ⚠️ **Kept alive permanently:** ${alwaysOn.map((i) => inertMd(i.label)).join(', ')} bill${alwaysOn.length === 1 ? 's' : ''} every hour whether used or not. "Inference endpoints kept alive permanently" is one of the ways Azure ML costs rise predictably; scale them to what traffic needs, and delete the ones nobody calls.`,
      '',
    );
  }

  if (rep.diff) {
    out.push(`### Against ${mdCode(rep.diff.base)}`, '');
    if (rep.diff.baseMissing)
      out.push(`No estimate for the base: ${inertMd(rep.diff.baseMissing)}. Everything below is new.`, '');
    out.push('| item | base | this PR | change |', '|---|---:|---:|---:|');
    for (const d of rep.diff.rows) {
      const per = d.period === 'month' ? ' (per month)' : '';
      out.push(
        `| ${cell(d.label)}${per} | ${d.base === undefined ? '—' : money(d.base, cur)} | ${d.head === undefined ? '—' : money(d.head, cur)} | ${sign(d.change, cur)} |`,
      );
    }
    out.push(
      `| **one training run** | **${money(rep.diff.run.base, cur)}** | **${money(rep.diff.run.head, cur)}** | **${sign(rep.diff.run.change, cur)}** |`,
    );
    out.push(
      `| **always-on, per month** | **${money(rep.diff.month.base, cur)}** | **${money(rep.diff.month.head, cur)}** | **${sign(rep.diff.month.change, cur)}** |`,
      '',
    );
  }

  if (rep.actual) {
    const a = rep.actual;
    out.push('### After training', '');
    if (a.cost === undefined) out.push(`The run from ${inertMd(a.source)} took ${inertMd(a.detail)}.`, '');
    else
      out.push(
        `The run from ${inertMd(a.source)} cost **${money(a.cost, cur)}** (${inertMd(a.detail)}); the estimate expected ${money(a.expected, cur)} (${sign(a.cost - a.expected, cur)}).`,
        '',
      );
  }

  if (rep.reportUrl)
    out.push(`📊 [The run report](${rep.reportUrl}): charts, confusion matrix, gates, cost, lineage.`, '');

  const cc = ccLine(rep.cc ?? []);
  if (cc) out.push(cc, '');

  if (e.notes.length) out.push(...e.notes.map((n) => `- ${inertMessage(n)}`), '');
  const p = e.prices;
  if (p.kind === 'snapshot') {
    out.push(
      `> ⚠️ **Prices from the offline snapshot**, compiled ${p.date}${p.approximate ? ' (approximate figures)' : ''}, because ${inertMd(p.reason ?? 'the API was not used')}. Linux pay-as-you-go list prices in ${e.region}, ${cur}, before any discount your agreement gives.`,
    );
  } else {
    out.push(
      `<sub>Prices: ${p.description}, read ${p.date}; Linux pay-as-you-go list prices in ${e.region}, ${cur}, before any discount your agreement gives.</sub>`,
    );
  }
  if (rep.notPostedBecause) out.push('', `_${inertMd(rep.notPostedBecause)}_`);
  return out.join('\n') + '\n';
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const rr = (a: Range) => ({ low: round(a.low), expected: round(a.expected), high: round(a.high) });

/** The `--format json` document. */
export function renderJson(rep: CostReport): unknown {
  const e = rep.estimate;
  return {
    estimate: {
      project: e.project,
      region: e.region,
      currency: e.currency,
      run: rr(e.run),
      month: rr(e.month),
      hours: e.hours && { ...rr(e.hours.range), source: e.hours.source },
      items: e.items.map((i) => ({
        key: i.key,
        label: i.label,
        detail: i.detail,
        period: i.period,
        alwaysOn: i.alwaysOn ?? false,
        ...rr(i.cost),
      })),
      notes: e.notes,
      prices: e.prices,
    },
    diff: rep.diff && {
      base: rep.diff.base,
      baseMissing: rep.diff.baseMissing,
      run: { base: round(rep.diff.run.base), head: round(rep.diff.run.head), change: round(rep.diff.run.change) },
      month: {
        base: round(rep.diff.month.base),
        head: round(rep.diff.month.head),
        change: round(rep.diff.month.change),
      },
      rows: rep.diff.rows.map((d) => ({
        ...d,
        base: d.base === undefined ? null : round(d.base),
        head: d.head === undefined ? null : round(d.head),
        change: round(d.change),
      })),
    },
    budget: rep.budget,
    policy: rep.policy
      ? rep.policy.from === 'base'
        ? {
            ...rep.policy,
            changes: rep.policy.changes.map((c) => ({ ...c, message: describeChange(c, (v) => JSON.stringify(v)) })),
          }
        : rep.policy
      : null,
    actual: rep.actual ? { ...rep.actual, cost: rep.actual.cost === undefined ? null : round(rep.actual.cost) } : null,
    reportUrl: rep.reportUrl ?? null,
  };
}
