/**
 * The metrics the local trainer writes to metrics.json and registers with every model: the names a gate can read
 * after `train.target: local`. Kept apart from the trainer (no tfjs here) so validate can check gates against them.
 */
export const LOCAL_METRICS = [
  'accuracy',
  'loss',
  'macro_f1',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p50_iqr_ms',
  'latency_p95_iqr_ms',
  'model_bytes',
] as const;

export type LocalMetric = (typeof LOCAL_METRICS)[number];
