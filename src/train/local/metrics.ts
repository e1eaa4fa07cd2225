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
