/**
 * Gate evaluation: pure. Each threshold of each gate in tfaml.yml becomes one row (a gate with `min` and
 * `max-drop` gives two), so a report names exactly which threshold failed.
 *
 * - `min` / `max`: value thresholds on the candidate alone.
 * - `max-drop`: the candidate may be worse than the champion by at most this much (absolute, in the metric's unit).
 * - `max-drop-pct`: the same in percent of the champion's value.
 * "Worse" follows the metric's direction (./direction.ts): lower accuracy, higher latency.
 * A latency measured with its spread (the local trainer records `latency_p95_iqr_ms` beside `latency_p95_ms`) passes
 * a change threshold it exceeds by no more than that spread: such a difference is what two runs of the same model
 * show, not a change (`spreadOf`).
 * A value that is missing, NaN or infinite fails every threshold on it. Without a champion, or when the champion
 * lacks a finite value for the metric, change thresholds are skipped and the row says why.
 */
import type { Gate } from '../config/types.js';
import { nearest } from '../core/nearest.js';
import { directionOf, type Direction } from './direction.js';

export type ThresholdKind = 'min' | 'max' | 'max-drop' | 'max-drop-pct';
export type RowStatus = 'pass' | 'fail' | 'skipped';

export interface GateRow {
  /** Position of the gate in tfaml.yml's `gates:` list. */
  gate: number;
  metric: string;
  kind: ThresholdKind;
  threshold: number;
  direction: Direction;
  /** False when the direction was assumed (an unknown metric name). */
  directionKnown: boolean;
  /** The candidate's value: null when missing or not a finite number (see `candidateText`). */
  candidate: number | null;
  /** As shown: the number, `NaN`, `Infinity` or `missing`. */
  candidateText: string;
  champion: number | null;
  championText: string;
  status: RowStatus;
  /** Plain words, for every row: why it passed, failed or was skipped. */
  reason: string;
  /** A change threshold on a metric measured with its spread: that spread, in the metric's unit (ms). */
  spread?: number;
}

export interface Champion {
  version: string;
  metrics: Record<string, unknown>;
}

/** Floating-point slack: 0.91 − 0.90 is 0.010000000000000009, which must pass `max-drop: 0.01`. */
const EPS = 1e-9;

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(6)));
}

function valueOf(metrics: Record<string, unknown>, metric: string): { value: number | null; text: string } {
  if (!Object.prototype.hasOwnProperty.call(metrics, metric)) return { value: null, text: 'missing' };
  const v = metrics[metric];
  // A NaN or Infinity written to JSON comes back as null; treat any non-number the same way.
  if (typeof v !== 'number') return { value: null, text: v === null ? 'NaN' : JSON.stringify(v) };
  if (!Number.isFinite(v)) return { value: null, text: String(v) };
  return { value: v, text: fmt(v) };
}

function thresholds(g: Gate): [ThresholdKind, number][] {
  const out: [ThresholdKind, number][] = [];
  if (g.min !== undefined) out.push(['min', g.min]);
  if (g.max !== undefined) out.push(['max', g.max]);
  if (g.maxDrop !== undefined) out.push(['max-drop', g.maxDrop]);
  if (g.maxDropPct !== undefined) out.push(['max-drop-pct', g.maxDropPct]);
  return out;
}

/**
 * The measured spread of a latency metric: the interquartile range the local trainer records beside it
 * (`latency_p95_ms` → `latency_p95_iqr_ms`, src/train/local/metrics.ts latencyStats), the larger of the candidate's
 * and the champion's, since either measurement may be the noisy one. Undefined when neither recorded one.
 */
export function spreadOf(
  metric: string,
  candidate: Record<string, unknown>,
  champion: Record<string, unknown> | undefined,
): number | undefined {
  if (!/^latency_.*_ms$/.test(metric) || metric.endsWith('_iqr_ms')) return undefined;
  const key = metric.replace(/_ms$/, '_iqr_ms');
  const values = [candidate[key], champion?.[key]].filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  );
  return values.length ? Math.max(...values) : undefined;
}

export function missingReason(metric: string, available: readonly string[]): string {
  const near = nearest(metric, available);
  const has = available.length ? `it has ${available.join(', ')}` : 'it has no metrics at all';
  return `the candidate has no metric ${metric}${near ? ` (did you mean ${near}?)` : ''}; ${has}`;
}

function dropPct(drop: number, base: number): number {
  return drop <= EPS ? 0 : base === 0 ? Infinity : (drop / Math.abs(base)) * 100;
}

export function evaluateGates(
  gates: readonly Gate[],
  candidate: Record<string, unknown>,
  champion: Champion | undefined,
): GateRow[] {
  const rows: GateRow[] = [];
  const available = Object.keys(candidate).sort();
  for (const g of gates) {
    const { direction, known } = directionOf(g.metric);
    const c = valueOf(candidate, g.metric);
    const ch = champion ? valueOf(champion.metrics, g.metric) : { value: null, text: '—' };
    for (const [kind, threshold] of thresholds(g)) {
      const row: GateRow = {
        gate: g.index,
        metric: g.metric,
        kind,
        threshold,
        direction,
        directionKnown: known,
        candidate: c.value,
        candidateText: c.text,
        champion: ch.value,
        championText: ch.text,
        status: 'pass',
        reason: '',
      };
      rows.push(row);
      if (c.value === null) {
        row.status = 'fail';
        row.reason =
          c.text === 'missing'
            ? missingReason(g.metric, available)
            : `the candidate's ${g.metric} is ${c.text}, not a finite number, so it cannot pass`;
        continue;
      }
      const v = c.value;
      if (kind === 'min') {
        const ok = v >= threshold - EPS;
        row.status = ok ? 'pass' : 'fail';
        row.reason = ok
          ? `${fmt(v)} is at least ${fmt(threshold)}`
          : `${g.metric} ${fmt(v)} is below the minimum ${fmt(threshold)}`;
        continue;
      }
      if (kind === 'max') {
        const ok = v <= threshold + EPS;
        row.status = ok ? 'pass' : 'fail';
        row.reason = ok
          ? `${fmt(v)} is at most ${fmt(threshold)}`
          : `${g.metric} ${fmt(v)} is above the maximum ${fmt(threshold)}`;
        continue;
      }
      // Change thresholds.
      if (!champion) {
        row.status = 'skipped';
        row.reason = 'no production champion yet, so there is nothing to compare with';
        continue;
      }
      if (ch.value === null) {
        row.status = 'skipped';
        row.reason = `the champion ${champion.version} has ${ch.text === 'missing' ? `no ${g.metric}` : `${g.metric} ${ch.text}`} to compare with`;
        continue;
      }
      const base = ch.value;
      // Positive when the candidate is worse than the champion.
      const drop = direction === 'higher' ? base - v : v - base;
      const worse = direction === 'higher' ? 'lower' : 'higher';
      const assumed = known ? '' : ` (assuming higher ${g.metric} is better)`;
      const spread = spreadOf(g.metric, candidate, champion.metrics);
      if (spread !== undefined) row.spread = spread;
      const allowed = kind === 'max-drop' ? drop <= threshold + EPS : dropPct(drop, base) <= threshold + EPS;
      if (!allowed && spread !== undefined && drop <= spread + EPS) {
        row.status = 'pass';
        row.reason = `${fmt(drop)} ms ${worse} than the champion ${champion.version} (${fmt(base)}), more than ${fmt(threshold)}${kind === 'max-drop-pct' ? '%' : ''} but within the measured spread ±${fmt(spread)} ms, so not a change`;
        continue;
      }
      if (kind === 'max-drop') {
        const ok = drop <= threshold + EPS;
        row.status = ok ? 'pass' : 'fail';
        row.reason =
          drop <= EPS
            ? `no worse than the champion ${champion.version} (${fmt(base)})${assumed}`
            : ok
              ? `${fmt(drop)} ${worse} than the champion ${champion.version} (${fmt(base)}), within ${fmt(threshold)}${assumed}`
              : `${g.metric} ${fmt(v)} is ${fmt(drop)} ${worse} than the champion ${champion.version} (${fmt(base)}); at most ${fmt(threshold)} is allowed${assumed}`;
        continue;
      }
      // max-drop-pct: relative to the champion's magnitude; a champion of 0 allows no drop at all.
      const pct = dropPct(drop, base);
      const ok = pct <= threshold + EPS;
      row.status = ok ? 'pass' : 'fail';
      row.reason =
        pct === 0
          ? `no worse than the champion ${champion.version} (${fmt(base)})${assumed}`
          : ok
            ? `${fmt(pct)}% ${worse} than the champion ${champion.version} (${fmt(base)}), within ${fmt(threshold)}%${assumed}`
            : `${g.metric} ${fmt(v)} is ${fmt(pct)}% ${worse} than the champion ${champion.version} (${fmt(base)}); at most ${fmt(threshold)}% is allowed${assumed}`;
    }
  }
  return rows;
}

export function passed(rows: readonly GateRow[]): boolean {
  return rows.every((r) => r.status !== 'fail');
}
