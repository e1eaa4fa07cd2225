/** Classification metrics and latency percentiles. Pure. */

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  accuracy: number;
  /** confusion[actual][predicted] */
  confusion: number[][];
  perClass: Record<string, ClassMetrics>;
  macroF1: number;
}

export function evaluate(
  actual: readonly number[],
  predicted: readonly number[],
  classes: readonly string[],
): Evaluation {
  if (actual.length !== predicted.length)
    throw new Error(`evaluate: ${actual.length} labels but ${predicted.length} predictions`);
  const k = classes.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    confusion[actual[i]!]![predicted[i]!]!++;
    if (actual[i] === predicted[i]) correct++;
  }
  const perClass: Record<string, ClassMetrics> = {};
  let f1sum = 0;
  classes.forEach((name, c) => {
    const tp = confusion[c]![c]!;
    const predictedC = confusion.reduce((s, row) => s + row[c]!, 0);
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    const precision = predictedC === 0 ? 0 : tp / predictedC;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[name] = { precision, recall, f1, support };
    f1sum += f1;
  });
  return {
    accuracy: actual.length === 0 ? 0 : correct / actual.length,
    confusion,
    perClass,
    macroF1: k === 0 ? 0 : f1sum / k,
  };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1]!;
}

/** Single-image latency, stated with its spread so a gate can tell a change from noise. */
export interface LatencyStats {
  /** The median over rounds of each round's p50 and p95, in ms. */
  p50: number;
  p95: number;
  /** The interquartile range over rounds of each round's p50 and p95, in ms: how much a measurement moves. */
  p50Iqr: number;
  p95Iqr: number;
  rounds: number;
  samplesPerRound: number;
}

/**
 * The latency of rounds of timed runs (each round a list of ms): each round's p50 and p95, then their median and
 * interquartile range (nearest-rank quartiles) over the rounds. One round of 20 runs made p95 its largest sample
 * or nearly, so two identical trainings read 55 and 80 ms; the median of rounds moves little, and the IQR says how
 * much it does.
 */
export function latencyStats(rounds: readonly (readonly number[])[]): LatencyStats {
  const full = rounds.filter((r) => r.length > 0);
  const p50s = full.map((r) => percentile(r, 50));
  const p95s = full.map((r) => percentile(r, 95));
  const iqr = (xs: number[]) => (xs.length === 0 ? NaN : percentile(xs, 75) - percentile(xs, 25));
  return {
    p50: percentile(p50s, 50),
    p95: percentile(p95s, 50),
    p50Iqr: iqr(p50s),
    p95Iqr: iqr(p95s),
    rounds: full.length,
    samplesPerRound: full.length === 0 ? 0 : Math.min(...full.map((r) => r.length)),
  };
}
