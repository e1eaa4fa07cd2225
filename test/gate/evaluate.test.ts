import { describe, expect, it } from 'vitest';
import type { Gate } from '../../src/config/types.js';
import { evaluateGates, passed, type GateRow } from '../../src/gate/evaluate.js';

const gate = (g: Omit<Gate, 'index'>, index = 0): Gate => ({ ...g, index });
const champion = {
  version: '1.0.0',
  metrics: { accuracy: 0.9, loss: 0.3, latency_p95_ms: 40, model_bytes: 1000, dogginess: 5, zero: 0 },
};

function one(
  g: Omit<Gate, 'index'>,
  candidate: Record<string, unknown>,
  ch: typeof champion | undefined = champion,
): GateRow {
  const rows = evaluateGates([gate(g)], candidate, ch);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('evaluateGates: value thresholds', () => {
  it.each([
    [{ metric: 'accuracy', min: 0.9 }, 0.9, 'pass', /0\.9 is at least 0\.9/],
    [{ metric: 'accuracy', min: 0.9 }, 0.89, 'fail', /accuracy 0\.89 is below the minimum 0\.9/],
    [{ metric: 'latency_p95_ms', max: 80 }, 80, 'pass', /at most 80/],
    [{ metric: 'latency_p95_ms', max: 80 }, 80.5, 'fail', /latency_p95_ms 80\.5 is above the maximum 80/],
    [{ metric: 'accuracy', min: 0.5 }, Number.NaN, 'fail', /accuracy is NaN, not a finite number/],
    [{ metric: 'accuracy', min: 0.5 }, null, 'fail', /accuracy is NaN, not a finite number/], // NaN after a JSON round trip
    [{ metric: 'latency_p95_ms', max: 80 }, Number.POSITIVE_INFINITY, 'fail', /is Infinity, not a finite number/],
    [{ metric: 'loss', max: 1 }, Number.NEGATIVE_INFINITY, 'fail', /is -Infinity, not a finite number/],
    [{ metric: 'accuracy', min: 0.5 }, '0.9', 'fail', /is "0\.9", not a finite number/],
  ] as const)('%j with %s → %s', (g, value, status, reason) => {
    const r = one(g, { [g.metric]: value });
    expect(r.status).toBe(status);
    expect(r.reason).toMatch(reason);
  });

  it('a metric the candidate lacks fails by name and suggests the nearest it has', () => {
    const r = one({ metric: 'acuracy', min: 0.5 }, { accuracy: 0.95, loss: 0.1 });
    expect(r).toMatchObject({ status: 'fail', candidate: null, candidateText: 'missing' });
    expect(r.reason).toBe('the candidate has no metric acuracy (did you mean accuracy?); it has accuracy, loss');
    const far = one({ metric: 'bleu', min: 0.5 }, {});
    expect(far.reason).toBe('the candidate has no metric bleu; it has no metrics at all');
  });
});

describe('evaluateGates: change thresholds against the champion, by direction', () => {
  it.each([
    // higher is better: a drop is a smaller value
    [
      { metric: 'accuracy', maxDrop: 0.01 },
      0.89,
      'pass',
      /0\.01 lower than the champion 1\.0\.0 \(0\.9\), within 0\.01/,
    ], // float slack: 0.9 - 0.89 = 0.010000000000000009
    [
      { metric: 'accuracy', maxDrop: 0.01 },
      0.88,
      'fail',
      /accuracy 0\.88 is 0\.02 lower than the champion 1\.0\.0 \(0\.9\); at most 0\.01 is allowed/,
    ],
    [{ metric: 'accuracy', maxDrop: 0 }, 0.95, 'pass', /no worse than the champion/],
    [{ metric: 'accuracy', maxDropPct: 5 }, 0.86, 'pass', /4\.44444% lower/],
    [
      { metric: 'accuracy', maxDropPct: 5 },
      0.85,
      'fail',
      /5\.55556% lower than the champion 1\.0\.0 \(0\.9\); at most 5% is allowed/,
    ],
    // lower is better: a drop is a bigger value
    [{ metric: 'latency_p95_ms', maxDrop: 5 }, 45, 'pass', /5 higher than the champion/],
    [
      { metric: 'latency_p95_ms', maxDrop: 5 },
      46,
      'fail',
      /latency_p95_ms 46 is 6 higher than the champion 1\.0\.0 \(40\); at most 5 is allowed/,
    ],
    [{ metric: 'latency_p95_ms', maxDrop: 0 }, 10, 'pass', /no worse/],
    [{ metric: 'loss', maxDropPct: 10 }, 0.34, 'fail', /13\.3333% higher/],
    [
      { metric: 'model_bytes', maxDropPct: 10 },
      1100,
      'pass',
      /10% higher than the champion 1\.0\.0 \(1000\), within 10%/,
    ],
    // unknown metric: higher assumed, and said in the row
    [
      { metric: 'dogginess', maxDrop: 1 },
      3,
      'fail',
      /is 2 lower than the champion .*\(assuming higher dogginess is better\)/,
    ],
    // a champion of 0 allows no relative drop
    [{ metric: 'zero', maxDropPct: 50 }, -1, 'fail', /Infinity% lower/],
    [{ metric: 'zero', maxDropPct: 50 }, 0, 'pass', /no worse/],
  ] as const)('%j with %s → %s', (g, value, status, reason) => {
    const r = one(g, { [g.metric]: value });
    expect(r.reason).toMatch(reason);
    expect(r.status).toBe(status);
  });

  it('without a champion, change thresholds are skipped and say why; value thresholds still apply', () => {
    const rows = evaluateGates([gate({ metric: 'accuracy', min: 0.9, maxDrop: 0.01 })], { accuracy: 0.5 }, undefined);
    expect(rows.map((r) => [r.kind, r.status, r.reason])).toEqual([
      ['min', 'fail', 'accuracy 0.5 is below the minimum 0.9'],
      ['max-drop', 'skipped', 'no production champion yet, so there is nothing to compare with'],
    ]);
    expect(passed(rows)).toBe(false);
  });

  it('a champion without the metric skips the change threshold, naming the champion', () => {
    const r = one({ metric: 'f1', maxDrop: 0.01 }, { f1: 0.5 });
    expect(r).toMatchObject({ status: 'skipped', reason: 'the champion 1.0.0 has no f1 to compare with' });
  });

  it('a missing or NaN candidate value fails change thresholds too', () => {
    expect(one({ metric: 'accuracy', maxDrop: 0.5 }, { accuracy: Number.NaN }).status).toBe('fail');
    expect(one({ metric: 'accuracy', maxDropPct: 50 }, {}).reason).toMatch(/has no metric accuracy/);
  });

  it('one row per threshold, in tfaml.yml order, with the gate index; passed() only when no row fails', () => {
    const gates = [
      gate({ metric: 'accuracy', min: 0.7, max: 1 }, 0),
      gate({ metric: 'accuracy', maxDrop: 0.02, maxDropPct: 1 }, 1),
      gate({ metric: 'latency_p95_ms', max: 500 }, 2),
    ];
    const rows = evaluateGates(gates, { accuracy: 0.89, latency_p95_ms: 42 }, champion);
    expect(rows.map((r) => [r.gate, r.kind, r.threshold, r.candidate, r.champion, r.status])).toEqual([
      [0, 'min', 0.7, 0.89, 0.9, 'pass'],
      [0, 'max', 1, 0.89, 0.9, 'pass'],
      [1, 'max-drop', 0.02, 0.89, 0.9, 'pass'],
      [1, 'max-drop-pct', 1, 0.89, 0.9, 'fail'],
      [2, 'max', 500, 42, 40, 'pass'],
    ]);
    expect(passed(rows)).toBe(false);
    expect(passed(rows.filter((r) => r.status !== 'fail'))).toBe(true);
    expect(passed([])).toBe(true);
  });
});
