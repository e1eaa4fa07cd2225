/**
 * A synthetic run as `tfaml train` writes it (metrics.json and run.json of src/train/local/run.ts), with a decision
 * report and a cost report of the shapes `tfaml promote --format json` and `tfaml cost --format json` print. The
 * numbers follow from the size asked for, so tests can say what the page must hold.
 */
export interface SyntheticRun {
  metrics: Record<string, unknown>;
  run: Record<string, unknown>;
  decision: Record<string, unknown>;
  cost: Record<string, unknown>;
}

export function syntheticRun(epochs: number, classCount: number, name = (i: number) => `class-${i}`): SyntheticRun {
  const classes = Array.from({ length: classCount }, (_, i) => name(i));
  const history = Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    loss: 2 / (i + 1),
    accuracy: 1 - 1 / (i + 2),
    valLoss: 2.2 / (i + 1),
    valAccuracy: 1 - 1.3 / (i + 2),
    seconds: 0.5,
  }));
  const rows = classes.map((_, i) => classes.map((_, j) => (i === j ? 40 : (i + j) % 3)));
  const per_class = Object.fromEntries(
    classes.map((c, i) => [
      c,
      { precision: 0.9 - i / (10 * classCount), recall: 0.8, f1: 0.85 - i / (10 * classCount), support: 40 + i },
    ]),
  );
  return {
    metrics: {
      accuracy: 0.875,
      loss: 0.3125,
      macro_f1: 0.8,
      latency_p50_ms: 3.25,
      latency_p95_ms: 5.5,
      model_bytes: 9 * 1048576,
      per_class,
      confusion_matrix: { classes, rows_actual_columns_predicted: rows },
      history,
      backend: 'wasm',
    },
    run: {
      runId: '20260101T000000-abcdef',
      gitSha: '0123456789abcdef0123456789abcdef01234567',
      config: { file: 'tfaml.yml', hash: 'sha256:cfg' },
      environment: 'tf-env:3',
      data: { name: 'flowers', version: '2', hash: 'sha256:data' },
      hub: { handle: 'https://tfhub.dev/google/x/1', hash: 'sha256:hub', source: 'cache' },
      backend: 'wasm',
      inferenceBackend: 'wasm',
      seed: 42,
      classes,
      timings: { totalSeconds: 12.5 },
      startedAt: '2026-01-01T00:00:00.000Z',
    },
    decision: {
      decision: 'rejected',
      model: 'flowers',
      candidate: { registry: 'local', version: '3', contentHash: 'sha256:c', metrics: {} },
      champion: { version: '1.0.0', metrics: {} },
      gates: [
        {
          gate: 0,
          metric: 'accuracy',
          kind: 'min',
          threshold: 0.9,
          direction: 'higher',
          candidate: 0.875,
          champion: 0.92,
          status: 'fail',
          reason: 'below',
        },
        {
          gate: 1,
          metric: 'accuracy',
          kind: 'max-drop',
          threshold: 0.01,
          direction: 'higher',
          candidate: 0.875,
          champion: 0.92,
          status: 'fail',
          reason: 'dropped',
        },
        {
          gate: 2,
          metric: 'latency_p95_ms',
          kind: 'max-drop-pct',
          threshold: 10,
          direction: 'lower',
          candidate: 5.5,
          champion: 5,
          status: 'pass',
          reason: 'within',
        },
      ],
      notes: ['not promoted: 2 of 3 thresholds failed'],
    },
    cost: {
      estimate: {
        currency: 'USD',
        run: { low: 1.5, expected: 3, high: 6 },
        hours: { source: 'train.expected-hours (1 h)' },
      },
      actual: { cost: 2.25, detail: '1 × Standard_NC6s_v3 × 40 min + 120 s idle at $3.06/h', durationSeconds: 2400 },
    },
  };
}
