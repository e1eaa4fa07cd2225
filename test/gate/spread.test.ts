/** Change thresholds on a latency measured with its spread (issue 15, item 6): noise is not a change. */
import { describe, expect, it } from 'vitest';
import type { Gate } from '../../src/config/types.js';
import { evaluateGates, spreadOf } from '../../src/gate/evaluate.js';
import { toText, type PromoteReport } from '../../src/gate/report.js';

const gate = (g: Omit<Gate, 'index'>): Gate => ({ ...g, index: 0 });
const champion = (metrics: Record<string, number>) => ({ version: '1.0.0', metrics });

describe('spreadOf', () => {
  it.each([
    ['latency_p95_ms', { latency_p95_iqr_ms: 3 }, { latency_p95_iqr_ms: 5 }, 5],
    ['latency_p95_ms', { latency_p95_iqr_ms: 3 }, {}, 3],
    ['latency_p95_ms', {}, { latency_p95_iqr_ms: 4 }, 4],
    ['latency_p50_ms', { latency_p50_iqr_ms: 1, latency_p95_iqr_ms: 9 }, undefined, 1],
    ['latency_p95_ms', {}, {}, undefined],
    ['latency_p95_ms', { latency_p95_iqr_ms: -1 }, { latency_p95_iqr_ms: null }, undefined],
    ['latency_p95_iqr_ms', { latency_p95_iqr_iqr_ms: 1 }, {}, undefined],
    ['accuracy', { accuracy_iqr_ms: 1 }, {}, undefined],
  ] as const)('%s of %j and %j is %s', (metric, cand, champ, want) => {
    expect(spreadOf(metric, cand, champ as Record<string, unknown> | undefined)).toBe(want);
  });
});

describe('a change threshold on latency with a measured spread', () => {
  const base = { latency_p95_ms: 60, latency_p95_iqr_ms: 4 };
  it.each([
    // within the threshold: passes as before, the spread is only recorded
    [
      { maxDrop: 5 },
      { latency_p95_ms: 64, latency_p95_iqr_ms: 2 },
      'pass',
      /^4 higher than the champion 1\.0\.0 \(60\), within 5$/,
    ],
    // beyond the threshold, within the spread (the larger IQR, the champion's 4 ms)
    [
      { maxDrop: 2 },
      { latency_p95_ms: 63, latency_p95_iqr_ms: 1 },
      'pass',
      /^3 ms higher than the champion 1\.0\.0 \(60\), more than 2 but within the measured spread ±4 ms, so not a change$/,
    ],
    [
      { maxDropPct: 1 },
      { latency_p95_ms: 64, latency_p95_iqr_ms: 1 },
      'pass',
      /^4 ms higher .*more than 1% but within the measured spread ±4 ms/,
    ],
    // beyond both: fails as before
    [
      { maxDrop: 2 },
      { latency_p95_ms: 65, latency_p95_iqr_ms: 1 },
      'fail',
      /^latency_p95_ms 65 is 5 higher than the champion 1\.0\.0 \(60\); at most 2 is allowed$/,
    ],
    // better than the champion: no worse
    [{ maxDrop: 0 }, { latency_p95_ms: 50, latency_p95_iqr_ms: 1 }, 'pass', /^no worse than the champion/],
  ] as const)('%j, candidate %j → %s', (g, cand, status, reason) => {
    const [row] = evaluateGates([gate({ metric: 'latency_p95_ms', ...g })], cand, champion(base));
    expect(row!.status).toBe(status);
    expect(row!.reason).toMatch(reason);
    expect(row!.spread).toBe(4);
  });

  it('without a recorded spread (an older champion and an Azure candidate) the threshold is exact', () => {
    const [row] = evaluateGates(
      [gate({ metric: 'latency_p95_ms', maxDrop: 2 })],
      { latency_p95_ms: 63 },
      champion({ latency_p95_ms: 60 }),
    );
    expect(row).toMatchObject({ status: 'fail', reason: expect.stringMatching(/at most 2 is allowed$/) as string });
    expect(row!.spread).toBeUndefined();
  });

  it('a value threshold is not widened by the spread', () => {
    const [row] = evaluateGates(
      [gate({ metric: 'latency_p95_ms', max: 60 })],
      { latency_p95_ms: 62, latency_p95_iqr_ms: 5 },
      champion(base),
    );
    expect(row!.status).toBe('fail');
  });

  it('the promote report says so', () => {
    const gates = evaluateGates(
      [gate({ metric: 'latency_p95_ms', maxDrop: 2 })],
      { latency_p95_ms: 63, latency_p95_iqr_ms: 1 },
      champion(base),
    );
    const report: PromoteReport = {
      decision: 'would-promote',
      model: 'flowers',
      candidate: { registry: 'local', version: '2', contentHash: 'h', metrics: { latency_p95_ms: 63 } },
      champion: champion(base),
      gates,
      branch: { current: 'pr', required: 'main', source: 'test', allowed: false },
      production: 'local',
      notes: [],
      written: false,
    };
    expect(toText(report)).toContain('within the measured spread ±4 ms');
  });
});
