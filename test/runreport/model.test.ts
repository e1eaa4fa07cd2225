/**
 * The report's data, built from what a run leaves behind. The complete report is compared with a golden file under
 * test/golden/runreport/ (regenerate with `UPDATE_GOLDEN=1 npx vitest run test/runreport` and review the diff);
 * partial and malformed runs are tables of what the report says is missing.
 */
import { describe, expect, it } from 'vitest';
import { buildRunReport, gateLimit, MAX_HEATMAP_CLASSES, type ReportSources } from '../../src/runreport/model.js';
import { syntheticRun } from './fixtures.js';
import { expectGolden } from '../helpers/golden.js';

const at = '2026-01-02T00:00:00.000Z';

function complete(epochs = 3, classes = 2): ReportSources {
  const s = syntheticRun(epochs, classes);
  return {
    runId: 'r1',
    model: 'flowers',
    version: { registry: 'the embedded experiment registry', version: '3', metrics: { accuracy: 0.875 }, tags: {} },
    metrics: { file: 'metrics.json', value: s.metrics },
    run: { file: 'run.json', value: s.run },
    decision: { file: 'decision.json', value: s.decision },
    cost: { file: 'cost.json', value: s.cost },
    links: { server: 'https://github.com', repository: 'acme/flowers' },
    generatedAt: at,
  };
}

describe('buildRunReport', () => {
  it('a complete run: every section, nothing missing (golden)', () => {
    const r = buildRunReport(complete());
    expect(r.missing).toEqual([]);
    expect(r.curves).toHaveLength(3 * 4);
    expect(r.confusion?.cells).toHaveLength(4);
    expectGolden('runreport', 'complete.json', JSON.stringify(r, null, 2) + '\n');
  });

  it('links the commit only when the server, repository and SHA have safe shapes', () => {
    const ok = buildRunReport(complete()).lineage.find((l) => l.label === 'git commit');
    expect(ok?.href).toBe('https://github.com/acme/flowers/commit/0123456789abcdef0123456789abcdef01234567');
    for (const links of [
      { server: 'javascript:alert(1)//', repository: 'acme/flowers' },
      { server: 'https://github.com', repository: 'acme/flowers"><b' },
      { server: 'http://github.com', repository: 'acme/flowers' },
      undefined,
    ]) {
      const row = buildRunReport({ ...complete(), links }).lineage.find((l) => l.label === 'git commit');
      expect(row?.value).toBe('0123456789abcdef0123456789abcdef01234567');
      expect(row?.href).toBeUndefined();
    }
  });

  it('links an Azure job to the studio from the workspace it ran in', () => {
    const s: ReportSources = {
      runId: 'tfaml-flowers-abc',
      model: 'flowers',
      version: {
        registry: 'workspace ws',
        version: '4',
        metrics: { accuracy: 0.9 },
        tags: { 'tfaml.target': 'azure', 'tfaml.run-id': 'tfaml-flowers-abc', 'tfaml.git-sha': 'abcdef1' },
      },
      links: { workspace: { subscription: 'sub-1', resourceGroup: 'rg', name: 'ws' } },
      generatedAt: at,
    };
    const r = buildRunReport(s);
    expect(r.lineage.find((l) => l.label === 'Azure ML job')?.href).toBe(
      'https://ml.azure.com/runs/tfaml-flowers-abc?wsid=%2Fsubscriptions%2Fsub-1%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.MachineLearningServices%2Fworkspaces%2Fws',
    );
    // An Azure job that logged only its final metrics: the numbers are there, and the report says what is not.
    expect(r.headline.map((k) => k.metric)).toEqual(['accuracy']);
    expect(r.missing).toEqual([
      'no metrics.json (only the metrics the registry holds)',
      'no metrics.json, so there are no learning curves',
    ]);
  });

  const partial: [string, Partial<ReportSources>, string[]][] = [
    [
      'nothing recorded',
      { version: undefined, metrics: undefined, run: undefined, decision: undefined, cost: undefined },
      [
        'the run recorded no metrics (a run stopped before it finished, or an Azure job that logged none)',
        'no metrics.json, so there are no learning curves',
        'no run.json and no registry version, so there is no lineage',
      ],
    ],
    [
      'metrics.json unreadable',
      { metrics: { file: '/x/metrics.json', problem: 'Unexpected end of JSON input' } },
      [
        'metrics.json (/x/metrics.json) could not be read: Unexpected end of JSON input',
        'no metrics.json, so there are no learning curves',
      ],
    ],
    [
      'killed before the first epoch',
      { metrics: { file: 'metrics.json', value: { accuracy: 0.5, history: [] } } },
      [
        'metrics.json has an empty history (the run stopped before its first epoch), so there are no learning curves',
        'metrics.json has no per_class results, so there is no per-class precision/recall/F1',
        'metrics.json has no confusion_matrix (classes and rows_actual_columns_predicted)',
      ],
    ],
    [
      'a ragged confusion matrix and a history of the wrong type',
      {
        metrics: {
          file: 'metrics.json',
          value: {
            accuracy: 'high',
            history: 'none',
            per_class: { a: { precision: 1, recall: 1, f1: 1, support: 1 }, b: { precision: 'x' } },
            confusion_matrix: { classes: ['a', 'b'], rows_actual_columns_predicted: [[1, 2], [3]] },
          },
        },
      },
      [
        'metrics.json history is not a list, so there are no learning curves',
        '1 per_class entries lack precision, recall or f1',
        "metrics.json's confusion_matrix is not 2 × 2 non-negative counts",
      ],
    ],
    [
      'a decision and a cost report of another shape',
      { decision: { file: 'd.json', value: { findings: [] } }, cost: { file: 'c.json', value: [] } },
      [
        'the cost report (c.json) is not a JSON object',
        'the decision report has no `decision`; is it the JSON of tfaml promote --format json?',
      ],
    ],
    [
      'a cost report without the actual cost',
      { cost: { file: 'c.json', value: { estimate: { currency: 'USD', run: { low: 1, expected: 2, high: 3 } } } } },
      ['the cost report has no actual cost (run tfaml cost with actual-from-registry after training)'],
    ],
  ];
  it.each(partial)('%s: says what is missing', (_, change, missing) => {
    const r = buildRunReport({ ...complete(), ...change });
    expect(r.missing).toEqual(missing);
  });

  it(`leaves out the heatmap above ${MAX_HEATMAP_CLASSES} classes, and says so`, () => {
    const r = buildRunReport(complete(2, MAX_HEATMAP_CLASSES + 1));
    expect(r.confusion).toBeUndefined();
    expect(r.perClass).toHaveLength(MAX_HEATMAP_CLASSES + 1);
    expect(r.missing).toEqual([
      `${MAX_HEATMAP_CLASSES + 1} classes: the confusion matrix is left out of the page above ${MAX_HEATMAP_CLASSES} (it is in metrics.json)`,
    ]);
  });
});

describe('gateLimit', () => {
  const row = { gate: 0, metric: 'm', candidate: 1, status: 'pass', reason: '' };
  const cases: [string, string, 'higher' | 'lower', number, number | null, number | null][] = [
    ['min', 'min', 'higher', 0.9, 0.95, 0.9],
    ['max', 'max', 'lower', 50, 40, 50],
    ['max-drop, higher is better', 'max-drop', 'higher', 0.01, 0.92, 0.91],
    ['max-drop, lower is better', 'max-drop', 'lower', 2, 10, 12],
    ['max-drop-pct, lower is better', 'max-drop-pct', 'lower', 10, 5, 5.5],
    ['max-drop-pct, higher is better', 'max-drop-pct', 'higher', 50, 0.8, 0.4],
    ['a change threshold without a champion', 'max-drop', 'higher', 0.01, null, null],
    ['an unknown kind', 'between', 'higher', 1, 2, null],
  ];
  it.each(cases)('%s', (_, kind, direction, threshold, champion, limit) => {
    const got = gateLimit({ ...row, kind, direction, threshold, champion });
    if (limit === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(limit, 12);
  });
});
