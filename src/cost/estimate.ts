/**
 * The estimate: pure arithmetic over a plan, prices and the durations of earlier runs. Every item has a low,
 * expected and high figure; a training run is billed per node-hour for the run itself, for node start-up, and for
 * the idle time before the cluster scales down again, and always-on capacity (online deployments, a cluster's
 * min_instances) is billed for every hour of the month.
 */
import type { PriceSourceInfo, VmPrice } from '../core/ports.js';
import type { CostPlan, TrainingPlan } from './plan.js';

export interface Range {
  low: number;
  expected: number;
  high: number;
}

export const HOURS_PER_MONTH = 730;
/** Azure ML's default idle_time_before_scale_down when a compute file leaves it out. */
export const DEFAULT_IDLE_SECONDS = 120;
/** Allocating a node and pulling the environment image, per node: billed, and not part of the run's duration. */
export const STARTUP_HOURS: Range = { low: 3 / 60, expected: 6 / 60, high: 15 / 60 };
/** Used only when a low-priority cluster's size has neither a low-priority nor a spot meter. */
export const LOW_PRIORITY_FACTOR = 0.2;

export type Period = 'run' | 'month';

export interface CostItem {
  /** Stable across base and head, for the diff. */
  key: string;
  label: string;
  /** How the figure was made, e.g. "1 × Standard_NC6s_v3 × 0.25–1 h at $3.06/h". */
  detail: string;
  period: Period;
  cost: Range;
  /** The seed article's warning for always-on capacity. */
  alwaysOn?: boolean;
}

/** A run's duration as recorded in the registry (TAGS.durationSeconds and friends). */
export interface PastRun {
  version: string;
  durationSeconds: number;
  instanceType?: string;
  target?: string;
}

export interface Estimate {
  project: string;
  region: string;
  currency: string;
  items: CostItem[];
  /** One training run, everything included. */
  run: Range;
  /** Always-on capacity per month. */
  month: Range;
  /** Where the training hours came from. */
  hours?: { range: Range; source: string };
  notes: string[];
  prices: PriceSourceInfo;
}

const r = (low: number, expected: number, high: number): Range => ({ low, expected, high });
const times = (a: Range, k: number): Range => r(a.low * k, a.expected * k, a.high * k);
const plus = (a: Range, b: Range): Range => r(a.low + b.low, a.expected + b.expected, a.high + b.high);
const ZERO = r(0, 0, 0);
const cap = (a: Range, ceiling: number | undefined): Range =>
  ceiling === undefined ? a : r(Math.min(a.low, ceiling), Math.min(a.expected, ceiling), Math.min(a.high, ceiling));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function fmtHours(h: number): string {
  if (h < 1 / 60) return `${Math.round(h * 3600)} s`;
  if (h < 1) return `${Math.round(h * 60)} min`;
  return `${Number(h.toFixed(2))} h`;
}

/**
 * Whether an earlier run predicts this one. The estimate prices hours on the job's Azure size (with train.target local
 * too: what the same run would cost there), so only a run on Azure on that same size predicts them. A run on a CPU
 * runner says nothing about an Azure GPU job's hours, nor a run on one size about another's: two 3-second local wasm
 * runs once replaced `expected-hours: 1` in an estimate (issue 15).
 */
export function comparable(t: TrainingPlan, h: PastRun): boolean {
  return h.target === 'azure' && h.instanceType === t.instanceType;
}

/** What the comparable runs are, for the report. */
function comparableText(t: TrainingPlan): string {
  return `on Azure ${t.instanceType}`;
}

/**
 * Hours of one run (one trial of a sweep): the recorded durations of earlier comparable runs (comparable above) when
 * there are any, else train.expected-hours, else half of limits.timeout, else one hour; never above limits.timeout,
 * where Azure ML cancels the job. The source says which was used, and which earlier runs were left out.
 */
export function trainingHours(t: TrainingPlan, history: PastRun[]): { range: Range; source: string; notes: string[] } {
  const notes: string[] = [];
  const runs = history.filter((h) => comparable(t, h));
  const others = history.length - runs.length;
  const ignored = others
    ? `; ${others} earlier run${others === 1 ? '' : 's'} elsewhere (${[...new Set(history.filter((h) => !comparable(t, h)).map((h) => ((h.target ?? 'local') === 'azure' ? `Azure ${h.instanceType ?? 'unknown size'}` : 'the local runner')))].join(', ')}) not counted`
    : '';
  let range: Range;
  let source: string;
  if (runs.length > 0) {
    const hs = runs.map((h) => h.durationSeconds / 3600);
    const max = Math.max(...hs);
    // With few runs the spread is unknown: widen the high end.
    range = r(Math.min(...hs), median(hs), runs.length >= 3 ? max : max * 1.5);
    source = `the actual durations of ${runs.length} earlier run${runs.length === 1 ? '' : 's'} ${comparableText(t)} (median ${fmtHours(range.expected)})${ignored}`;
  } else if (t.expectedHours !== undefined) {
    range = r(t.expectedHours * 0.5, t.expectedHours, t.expectedHours * 2);
    source = `train.expected-hours (${fmtHours(t.expectedHours)}), no earlier run ${comparableText(t)} yet${ignored}`;
  } else if (t.timeoutHours !== undefined) {
    range = r(t.timeoutHours * 0.25, t.timeoutHours * 0.5, t.timeoutHours);
    source = `half of ${t.sweep ? 'limits.trial_timeout' : 'limits.timeout'}, with no earlier runs and no train.expected-hours`;
    notes.push('Set `train.expected-hours` in tfaml.yml for a better estimate until runs are recorded.');
  } else {
    range = r(0.5, 1, 2);
    source = 'an assumed 1 h: no earlier runs, no train.expected-hours, no limits.timeout';
    notes.push(
      'Set `train.expected-hours` in tfaml.yml and `limits.timeout` in the job: nothing bounds this estimate.',
    );
  }
  if (t.timeoutHours !== undefined && range.high > t.timeoutHours) {
    range = cap(range, t.timeoutHours);
    source += `, capped at ${t.sweep ? 'limits.trial_timeout' : 'limits.timeout'} (${fmtHours(t.timeoutHours)})`;
  }
  return { range, source, notes };
}

/** An hourly rate: cents are too coarse for a $0.293/h size. */
export function rate(x: number, currency = 'USD'): string {
  const sym = currency === 'USD' ? '$' : `${currency} `;
  return `${sym}${Number(x.toFixed(4))}/h`;
}

export function money(x: number, currency = 'USD'): string {
  const sym = currency === 'USD' ? '$' : `${currency} `;
  return `${x < 0 ? '-' : ''}${sym}${Math.abs(x).toFixed(2)}`;
}

/** The hourly price for a size on a tier; low-priority falls back to spot, then to a flat discount. */
export function hourly(
  prices: VmPrice[],
  region: string,
  sku: string,
  tier: 'dedicated' | 'low-priority',
): { price: number; how: string } | undefined {
  const of = (t: string) => prices.find((p) => p.region === region && p.sku === sku && p.tier === t);
  const dedicated = of('dedicated');
  if (tier === 'dedicated') return dedicated && { price: dedicated.hourly, how: 'dedicated' };
  const lp = of('low-priority') ?? of('spot');
  if (lp) return { price: lp.hourly, how: lp.tier === 'spot' ? 'low priority, at the spot meter' : 'low priority' };
  return (
    dedicated && {
      price: dedicated.hourly * LOW_PRIORITY_FACTOR,
      how: `low priority, estimated at ${Math.round((1 - LOW_PRIORITY_FACTOR) * 100)}% off dedicated`,
    }
  );
}

function rangeText(a: Range, f: (x: number) => string): string {
  if (a.low === a.high) return f(a.expected);
  const [lo, hi] = [f(a.low), f(a.high)];
  const unit = (x: string) => x.replace(/^[\d.]+ /, '');
  return unit(lo) === unit(hi) ? `${lo.replace(/ .*$/, '')}–${hi}` : `${lo}–${hi}`;
}

export function estimate(plan: CostPlan, prices: VmPrice[], history: PastRun[], source: PriceSourceInfo): Estimate {
  const items: CostItem[] = [];
  const notes: string[] = [];
  const cur = plan.currency;
  let hours: Estimate['hours'];
  const t = plan.training;
  if (t) {
    const p = hourly(prices, plan.region, t.instanceType, t.tier);
    if (!p) throw new Error(`no price for ${t.instanceType} in ${plan.region}`); // the command checks prices first
    const h = trainingHours(t, history);
    hours = { range: h.range, source: h.source };
    notes.push(...h.notes);
    const trials = t.sweep?.trials ?? 1;
    const concurrent = Math.min(t.sweep?.concurrent ?? 1, trials);
    const nodes = t.instanceCount * concurrent;
    const at = `at ${rate(p.price, cur)} (${p.how})`;
    const node = `${t.instanceCount} × ${t.instanceType}`;
    items.push({
      key: 'train',
      label: t.sweep ? `sweep: ${trials} trials on ${t.compute}` : `training on ${t.compute}`,
      detail: `${node} × ${rangeText(h.range, fmtHours)}${t.sweep ? ` × ${trials} trials` : ''} ${at}`,
      period: 'run',
      cost: times(h.range, p.price * t.instanceCount * trials),
    });
    // Every trial of a sweep gets fresh nodes; a single job starts its nodes once.
    const starts = t.sweep ? t.instanceCount * trials : nodes;
    items.push({
      key: 'startup',
      label: 'node start-up',
      detail: `${starts} node start${starts === 1 ? '' : 's'} × ${rangeText(STARTUP_HOURS, fmtHours)} (allocation and image pull) ${at}`,
      period: 'run',
      cost: times(STARTUP_HOURS, p.price * starts),
    });
    if (t.compute !== 'serverless') {
      const idle = t.idleSeconds ?? DEFAULT_IDLE_SECONDS;
      items.push({
        key: 'idle',
        label: 'idle before scale-down',
        detail: `${nodes} node${nodes === 1 ? '' : 's'} × ${idle} s${t.idleSeconds === undefined ? " (Azure ML's default; the file sets none)" : ''} ${at}`,
        period: 'run',
        cost: times(r(1, 1, 1), (p.price * nodes * idle) / 3600),
      });
      if (t.minInstances > 0) {
        items.push({
          key: 'cluster-floor',
          label: `${t.compute}: min_instances ${t.minInstances}`,
          detail: `${t.minInstances} × ${t.instanceType} × ${HOURS_PER_MONTH} h, never scaled down ${at}`,
          period: 'month',
          cost: times(r(1, 1, 1), p.price * t.minInstances * HOURS_PER_MONTH),
          alwaysOn: true,
        });
      }
    }
    if (t.target === 'local')
      notes.push('train.target is local: this is what the same run costs on the Azure ML compute of its job.');
  }
  for (const e of plan.endpoints) {
    const p = hourly(prices, plan.region, e.instanceType, 'dedicated');
    if (!p) throw new Error(`no price for ${e.instanceType} in ${plan.region}`);
    items.push({
      key: `endpoint:${e.name}`,
      label: `endpoint ${e.name}`,
      detail: `${e.instanceCount} × ${e.instanceType} × ${HOURS_PER_MONTH} h at ${rate(p.price, cur)}`,
      period: 'month',
      cost: times(r(1, 1, 1), p.price * e.instanceCount * HOURS_PER_MONTH),
      alwaysOn: true,
    });
  }
  const sum = (period: Period) => items.filter((i) => i.period === period).reduce((a, i) => plus(a, i.cost), ZERO);
  return {
    project: plan.project,
    region: plan.region,
    currency: cur,
    items,
    run: sum('run'),
    month: sum('month'),
    hours,
    notes,
    prices: source,
  };
}

export interface DiffRow {
  key: string;
  label: string;
  period: Period;
  base?: number;
  head?: number;
  /** head − base on the expected figures (a removed item counts as 0 now). */
  change: number;
}

export interface CostDiff {
  base: string;
  rows: DiffRow[];
  run: { base: number; head: number; change: number };
  month: { base: number; head: number; change: number };
  /** Why there is no base estimate (no tfaml.yml or no `cost:` there). */
  baseMissing?: string;
}

/** Expected figures side by side, item by item, base first. */
export function diffEstimates(
  baseName: string,
  base: Estimate | undefined,
  head: Estimate,
  baseMissing?: string,
): CostDiff {
  const rows: DiffRow[] = [];
  const keys = [...new Set([...head.items.map((i) => i.key), ...(base?.items ?? []).map((i) => i.key)])];
  for (const key of keys) {
    const h = head.items.find((i) => i.key === key);
    const b = base?.items.find((i) => i.key === key);
    const it = (h ?? b)!;
    rows.push({
      key,
      label: it.label,
      period: it.period,
      base: b?.cost.expected,
      head: h?.cost.expected,
      change: (h?.cost.expected ?? 0) - (b?.cost.expected ?? 0),
    });
  }
  const totals = (p: Period) => {
    const hb = base ? (p === 'run' ? base.run : base.month).expected : 0;
    const hh = (p === 'run' ? head.run : head.month).expected;
    return { base: hb, head: hh, change: hh - hb };
  };
  return { base: baseName, rows, run: totals('run'), month: totals('month'), baseMissing };
}

export interface Breach {
  limit: 'budget-usd' | 'max-increase-usd';
  period: Period;
  value: number;
  max: number;
}

export interface BudgetVerdict {
  verdict: 'within' | 'over' | 'overridden' | 'no-budget';
  breaches: Breach[];
  overrideLabel?: string;
  /** The limits as configured, for the report. */
  budgetUsd?: number;
  maxIncreaseUsd?: number;
}

/** The limits a budget gate applies: on a pull request the base's (src/config/policy.ts), else tfaml.yml's own. */
export interface BudgetLimits {
  budgetUsd?: number;
  maxIncreaseUsd?: number;
  overrideLabel?: string;
}

/**
 * The gate, on expected figures: a training run above budget-usd, or an increase against the base above
 * max-increase-usd (per run, and per month of always-on capacity, each on its own). The override label turns a
 * breach into a pass that the comment still shows.
 */
export function budgetGate(
  limits: BudgetLimits,
  est: Estimate,
  diff: CostDiff | undefined,
  labels: readonly string[],
): BudgetVerdict {
  const breaches: Breach[] = [];
  if (limits.budgetUsd !== undefined && est.run.expected > limits.budgetUsd)
    breaches.push({ limit: 'budget-usd', period: 'run', value: est.run.expected, max: limits.budgetUsd });
  if (limits.maxIncreaseUsd !== undefined && diff) {
    if (diff.run.change > limits.maxIncreaseUsd)
      breaches.push({ limit: 'max-increase-usd', period: 'run', value: diff.run.change, max: limits.maxIncreaseUsd });
    if (diff.month.change > limits.maxIncreaseUsd)
      breaches.push({
        limit: 'max-increase-usd',
        period: 'month',
        value: diff.month.change,
        max: limits.maxIncreaseUsd,
      });
  }
  const base = {
    breaches,
    overrideLabel: limits.overrideLabel,
    budgetUsd: limits.budgetUsd,
    maxIncreaseUsd: limits.maxIncreaseUsd,
  };
  if (limits.budgetUsd === undefined && limits.maxIncreaseUsd === undefined) return { verdict: 'no-budget', ...base };
  if (breaches.length === 0) return { verdict: 'within', ...base };
  return {
    verdict: limits.overrideLabel !== undefined && labels.includes(limits.overrideLabel) ? 'overridden' : 'over',
    ...base,
  };
}

/** What a finished run cost, from its real duration. */
export interface ActualCost {
  source: string;
  durationSeconds: number;
  target: string;
  instanceType?: string;
  instanceCount: number;
  /** Undefined for a run on the local runner, which Azure does not bill. */
  cost?: number;
  detail: string;
  /** The expected figure it compares with. */
  expected: number;
}

export function actualCost(
  run: {
    source: string;
    durationSeconds: number;
    target: string;
    instanceType?: string;
    instanceCount?: number;
    /** The price per node-hour the run's own estimate used (TAGS.priceUsd), which then prices it again. */
    priceUsd?: number;
  },
  plan: CostPlan,
  prices: VmPrice[],
  est: Estimate,
): ActualCost {
  const count = run.instanceCount ?? plan.training?.instanceCount ?? 1;
  const base = {
    source: run.source,
    durationSeconds: run.durationSeconds,
    target: run.target,
    instanceType: run.instanceType,
    instanceCount: count,
    expected: est.run.expected,
  };
  if (run.target === 'local' || !run.instanceType) {
    return { ...base, detail: `${fmtHours(run.durationSeconds / 3600)} on the local runner: nothing billed on Azure` };
  }
  const p =
    run.priceUsd !== undefined
      ? { price: run.priceUsd, how: 'the price of its estimate' }
      : hourly(prices, plan.region, run.instanceType, plan.training?.tier ?? 'dedicated');
  if (!p)
    return {
      ...base,
      detail: `${fmtHours(run.durationSeconds / 3600)} on ${run.instanceType}, which has no price in ${plan.region}`,
    };
  const idle = plan.training?.compute === 'serverless' ? 0 : (plan.training?.idleSeconds ?? DEFAULT_IDLE_SECONDS);
  const cost = p.price * count * ((run.durationSeconds + idle) / 3600);
  return {
    ...base,
    cost,
    detail: `${count} × ${run.instanceType} × ${fmtHours(run.durationSeconds / 3600)} + ${idle} s idle at ${rate(p.price, plan.currency)}`,
  };
}
