/**
 * The decision report. The markdown (job summary) is compared with golden files under test/golden/promote/;
 * regenerate them with `UPDATE_GOLDEN=1 npx vitest run test/gate/report.test.ts` and review the diff.
 */
import { describe, expect, it } from 'vitest';
import type { Gate } from '../../src/config/types.js';
import { evaluateGates } from '../../src/gate/evaluate.js';
import { EXIT, toJson, toMarkdown, toText, type PromoteReport } from '../../src/gate/report.js';
import { expectGolden } from '../helpers/golden.js';

const gates: Gate[] = [
  { metric: 'accuracy', min: 0.7, index: 0 },
  { metric: 'accuracy', maxDrop: 0.02, index: 1 },
  { metric: 'latency_p95_ms', max: 80, index: 2 },
  { metric: 'dogginess', maxDropPct: 10, index: 3 },
];
const champion = { version: '1.0.1', metrics: { accuracy: 0.91, latency_p95_ms: 41, dogginess: 5 } };

function report(over: Partial<PromoteReport>, metrics: Record<string, number>): PromoteReport {
  return {
    decision: 'promoted',
    model: 'flowers-classifier',
    candidate: {
      registry: 'the local experiment registry (.tfaml/experiment)',
      version: '7',
      contentHash: 'sha256:0123456789abcdef0123456789abcdef',
      metrics,
    },
    champion,
    gates: evaluateGates(gates, metrics, champion),
    branch: { current: 'main', required: 'main', source: 'GITHUB_REF', allowed: true },
    production: 'the local production registry (.tfaml/production)',
    notes: [],
    written: true,
    ...over,
  };
}

describe('the decision report', () => {
  const rejected = report(
    {
      decision: 'rejected',
      written: false,
      bump: { bump: 'minor', why: 'the data version changed: flowers:1 → flowers:2', version: '1.1.0' },
      notes: [
        'dogginess is not a metric tfaml knows the direction of, so higher was assumed to be better (see the direction table in docs/promote.md)',
        'not promoted: 2 of 4 thresholds failed (accuracy max-drop, latency_p95_ms max); nothing was written',
      ],
    },
    { accuracy: 0.88, latency_p95_ms: 95.5, dogginess: 5.2 },
  );
  const promoted = report(
    {
      productionVersion: '1.0.2',
      bump: { bump: 'patch', why: 'same input shape, classes and data version', version: '1.0.2' },
      notes: [
        'production 1.0.2 is the champion; recorded as alice: all 4 gate thresholds passed against champion 1.0.1',
      ],
    },
    { accuracy: 0.92, latency_p95_ms: 40, dogginess: 5 },
  );

  it('markdown for the job summary, rejected (golden)', () => {
    expectGolden('promote', 'rejected.md', toMarkdown(rejected));
  });

  it('markdown for the job summary, promoted (golden)', () => {
    expectGolden('promote', 'promoted.md', toMarkdown(promoted));
  });

  it('text for the terminal has the same rows and reasons', () => {
    const text = toText(rejected);
    expect(text.split('\n')[0]).toBe('❌ rejected: flowers-classifier experiment version 7');
    expect(text).toContain('champion: production 1.0.1');
    expect(text).toMatch(
      /^ {2}1 +accuracy +↑ +0\.88 +0\.91 +drop ≤ 0\.02 +✖ fail +accuracy 0\.88 is 0\.03 lower than the champion 1\.0\.1 \(0\.91\); at most 0\.02 is allowed$/m,
    );
    expect(text).toMatch(
      /^ {2}3 +dogginess +↑\? +5\.2 +5 +drop ≤ 10% +✔ pass +no worse than the champion 1\.0\.1 \(5\) \(assuming higher dogginess is better\)$/m,
    );
    expect(text).toContain('note: not promoted: 2 of 4 thresholds failed');
    for (const g of rejected.gates) expect(text).toContain(g.reason);
  });

  it('JSON is the report itself, and exit codes follow the decision', () => {
    expect(JSON.parse(JSON.stringify(toJson(rejected)))).toEqual(rejected);
    expect(EXIT).toEqual({
      promoted: 0,
      unchanged: 0,
      'would-promote': 0,
      rejected: 1,
      lost: 1,
      'rolled-back': 0,
      'would-roll-back': 0,
    });
  });

  it('markdown escapes pipes in reasons so a row stays a row', () => {
    const md = toMarkdown(report({ notes: [] }, { 'a|b': 1 } as Record<string, number>));
    for (const line of md.split('\n').filter((l) => l.startsWith('| 0 ')))
      expect(line.split(/(?<!\\)\|/).length).toBe(10);
  });
});
