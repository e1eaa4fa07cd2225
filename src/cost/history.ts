/**
 * Runs as the experiment registry records them (TAGS on each model version): their durations feed the next estimate
 * (src/cost/estimate.ts trainingHours), an Azure run's estimated and actual cost are tagged on it when it is
 * registered (runCostTags), and `tfaml cost --history` lists how far off each estimate was. Pure.
 */
import { inertMd } from '../core/inert.js';
import type { PriceSourceInfo, VmPrice } from '../core/ports.js';
import { TAGS } from '../core/tags.js';
import { canonicalSku } from './catalog.js';
import { actualCost, estimate, fmtHours, hourly, money, type PastRun } from './estimate.js';
import type { CostPlan } from './plan.js';

/** A registered version as far as its tags go (local ModelVersion and Azure RegisteredModel both fit). */
export interface TaggedVersion {
  name: string;
  version: string;
  tags: Record<string, string>;
  createdAt?: string;
}

export interface RecordedRun extends PastRun {
  name: string;
  createdAt?: string;
  instanceCount?: number;
  estimatedUsd?: number;
  actualUsd?: number;
  priceUsd?: number;
}

const num = (v: string | undefined): number | undefined =>
  v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;

/** The versions that record a duration, in the order given (a registry lists oldest first). */
export function recordedRuns(versions: readonly TaggedVersion[]): RecordedRun[] {
  return versions.flatMap((v) => {
    const durationSeconds = num(v.tags[TAGS.durationSeconds]);
    if (durationSeconds === undefined) return [];
    const type = v.tags[TAGS.instanceType];
    return [
      {
        name: v.name,
        version: v.version,
        createdAt: v.createdAt,
        durationSeconds,
        instanceType: type === undefined ? undefined : canonicalSku(type),
        target: v.tags[TAGS.target],
        instanceCount: num(v.tags[TAGS.instanceCount]),
        estimatedUsd: num(v.tags[TAGS.estimatedUsd]),
        actualUsd: num(v.tags[TAGS.actualUsd]),
        priceUsd: num(v.tags[TAGS.priceUsd]),
      },
    ];
  });
}

/**
 * The tags an Azure run is registered with: what one run was expected to cost (the estimate the pull request's
 * comment shows, from the runs before it), what it cost (its real duration × instance count at the same price, plus
 * the idle time before scale-down), and that price. Nothing when the size has no price in the region.
 */
export function runCostTags(
  plan: CostPlan,
  prices: VmPrice[],
  source: PriceSourceInfo,
  earlier: readonly TaggedVersion[],
  run: { durationSeconds: number; instanceType?: string; instanceCount: number },
): Record<string, string> {
  if (!plan.training) return {};
  const est = estimate(plan, prices, recordedRuns(earlier), source);
  const instanceType = run.instanceType === undefined ? plan.training.instanceType : canonicalSku(run.instanceType);
  const price = hourly(prices, plan.region, instanceType, plan.training.tier);
  const actual = actualCost(
    {
      source: 'this run',
      durationSeconds: run.durationSeconds,
      target: 'azure',
      instanceType,
      instanceCount: run.instanceCount,
    },
    plan,
    prices,
    est,
  );
  if (!price || actual.cost === undefined) return { [TAGS.estimatedUsd]: est.run.expected.toFixed(4) };
  return {
    [TAGS.estimatedUsd]: est.run.expected.toFixed(4),
    [TAGS.actualUsd]: actual.cost.toFixed(4),
    [TAGS.priceUsd]: String(price.price),
  };
}

export interface HistoryRow {
  version: string;
  createdAt: string | null;
  target: string;
  instanceType: string | null;
  instanceCount: number | null;
  durationSeconds: number;
  estimatedUsd: number | null;
  actualUsd: number | null;
  /** (actual − estimated) / estimated, when both are known and the estimate is above zero. */
  offBy: number | null;
}

/** The last `n` runs, newest first. */
export function costHistory(runs: readonly RecordedRun[], n = 10): HistoryRow[] {
  return runs
    .slice(-n)
    .reverse()
    .map((r) => ({
      version: r.version,
      createdAt: r.createdAt ?? null,
      target: r.target ?? 'local',
      instanceType: r.instanceType ?? null,
      instanceCount: r.instanceCount ?? null,
      durationSeconds: r.durationSeconds,
      estimatedUsd: r.estimatedUsd ?? null,
      actualUsd: r.actualUsd ?? null,
      offBy:
        r.estimatedUsd !== undefined && r.actualUsd !== undefined && r.estimatedUsd > 0
          ? (r.actualUsd - r.estimatedUsd) / r.estimatedUsd
          : null,
    }));
}

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(0)}%`;

/** The history as text (a markdown table), with what an empty cell means. */
export function renderHistory(model: string, registry: string, rows: readonly HistoryRow[], currency = 'USD'): string {
  if (rows.length === 0)
    return `No run of ${model} in ${registry} records a duration yet (tag ${TAGS.durationSeconds}); train once first.\n`;
  const out = [
    `## Cost history: ${inertMd(model)} (last ${rows.length} run${rows.length === 1 ? '' : 's'}, newest first, from ${inertMd(registry)})`,
    '',
    '| version | trained | where | duration | estimated | actual | off by |',
    '|---|---|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const where =
      r.target === 'azure' ? `azure ${r.instanceCount ?? 1} × ${r.instanceType ?? 'unknown size'}` : 'local runner';
    out.push(
      `| ${inertMd(r.version)} | ${inertMd(r.createdAt ?? '—')} | ${inertMd(where)} | ${fmtHours(r.durationSeconds / 3600)} | ${r.estimatedUsd === null ? '—' : money(r.estimatedUsd, currency)} | ${r.actualUsd === null ? '—' : money(r.actualUsd, currency)} | ${r.offBy === null ? '—' : pct(r.offBy)} |`,
    );
  }
  const off = rows.filter((r) => r.offBy !== null);
  out.push('');
  if (off.length) {
    const mean = off.reduce((a, r) => a + Math.abs(r.offBy!), 0) / off.length;
    out.push(
      `The estimates were off by ${(mean * 100).toFixed(0)}% on average over ${off.length} Azure run${off.length === 1 ? '' : 's'}.`,
    );
  }
  out.push(
    'Runs on the local runner are not billed; an Azure run records its estimated and actual cost when it is registered.',
  );
  return out.join('\n') + '\n';
}
