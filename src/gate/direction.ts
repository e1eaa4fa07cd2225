/**
 * Whether a bigger value of a metric is better. Change thresholds (max-drop, max-drop-pct) need it: a "drop" in
 * accuracy is a smaller number, a "drop" in latency a bigger one.
 *
 * The rule, on the metric name split into words at any character that is not a letter or digit (so
 * `val_loss`, `latency_p95_ms`, `class.daisy.recall` all work):
 * 1. lower is better when a word is one of LOWER (loss, error, latency, ms, seconds, bytes, size, mse, …);
 * 2. else higher is better when a word is one of HIGHER (accuracy, precision, recall, f1, auc, …);
 * 3. else (an unknown metric) higher is better, and the report says the direction was assumed.
 * Lower wins over higher, so `top1_error` is lower-is-better.
 */
export type Direction = 'higher' | 'lower';

export const LOWER = [
  'loss',
  'error',
  'errors',
  'err',
  'latency',
  'ms',
  's',
  'sec',
  'secs',
  'seconds',
  'time',
  'duration',
  'bytes',
  'kb',
  'mb',
  'gb',
  'size',
  'mse',
  'mae',
  'rmse',
  'mape',
  'perplexity',
  'fpr',
  'fnr',
  'cost',
  'usd',
  'memory',
  'params',
  'flops',
  'ece',
  'brier',
  'logloss',
  'crossentropy',
] as const;

export const HIGHER = [
  'accuracy',
  'acc',
  'precision',
  'recall',
  'f1',
  'f1score',
  'auc',
  'roc',
  'pr',
  'map',
  'iou',
  'miou',
  'dice',
  'r2',
  'throughput',
  'fps',
  'score',
  'top1',
  'top5',
  'specificity',
  'sensitivity',
  'tpr',
  'tnr',
  'kappa',
  'mcc',
  'bleu',
  'rouge',
] as const;

export interface MetricDirection {
  direction: Direction;
  /** False when neither list matched and higher-is-better was assumed. */
  known: boolean;
}

function words(metric: string): string[] {
  return metric
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function directionOf(metric: string): MetricDirection {
  const w = words(metric);
  if (w.some((x) => (LOWER as readonly string[]).includes(x))) return { direction: 'lower', known: true };
  if (w.some((x) => (HIGHER as readonly string[]).includes(x))) return { direction: 'higher', known: true };
  return { direction: 'higher', known: false };
}
