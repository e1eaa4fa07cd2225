import { describe, expect, it } from 'vitest';
import { suggestSkus, snapshotLookup } from '../../src/cost/catalog.js';
import { budgetGate, diffEstimates, estimate, fmtHours, trainingHours, type PastRun } from '../../src/cost/estimate.js';
import type { CostPlan, TrainingPlan } from '../../src/cost/plan.js';
import type { PriceSourceInfo, VmPrice } from '../../src/core/ports.js';

const at = { file: 'x.yml', line: 1 };
const src: PriceSourceInfo = { kind: 'api', description: 'test', date: '2026-11-29' };
const prices: VmPrice[] = [
  { region: 'eastus', sku: 'Standard_NC6s_v3', tier: 'dedicated', hourly: 3, currency: 'USD' },
  { region: 'eastus', sku: 'Standard_NC6s_v3', tier: 'low-priority', hourly: 0.6, currency: 'USD' },
  { region: 'eastus', sku: 'Standard_NC4as_T4_v3', tier: 'dedicated', hourly: 0.5, currency: 'USD' },
  { region: 'eastus', sku: 'Standard_NC4as_T4_v3', tier: 'spot', hourly: 0.2, currency: 'USD' },
  { region: 'eastus', sku: 'Standard_DS3_v2', tier: 'dedicated', hourly: 0.25, currency: 'USD' },
];

function training(over: Partial<TrainingPlan> = {}): TrainingPlan {
  return {
    job: 'job.yml',
    compute: 'gpu',
    instanceType: 'Standard_NC6s_v3',
    instanceCount: 1,
    tier: 'dedicated',
    idleSeconds: 360,
    minInstances: 0,
    timeoutHours: 2,
    expectedHours: 1,
    target: 'azure',
    sizeAt: at,
    ...over,
  };
}

function plan(over: Partial<CostPlan> = {}): CostPlan {
  return {
    project: 'p',
    region: 'eastus',
    currency: 'USD',
    budgetUsd: 10,
    maxIncreaseUsd: 2,
    overrideLabel: 'cost-approved',
    training: training(),
    endpoints: [],
    regionAt: at,
    currencyAt: at,
    ...over,
  };
}

const byKey = (e: ReturnType<typeof estimate>, key: string) => e.items.find((i) => i.key === key)!.cost;

describe('training hours', () => {
  const runs = (...s: number[]): PastRun[] =>
    s.map((d, i) => ({
      version: String(i + 1),
      durationSeconds: d,
      instanceType: 'Standard_NC6s_v3',
      target: 'azure',
    }));
  it.each([
    [
      'no history: expected-hours ×0.5 / ×1 / ×2',
      training(),
      [],
      { low: 0.5, expected: 1, high: 2 },
      /train.expected-hours/,
    ],
    [
      'expected-hours capped by limits.timeout',
      training({ expectedHours: 1.5, timeoutHours: 2 }),
      [],
      { low: 0.75, expected: 1.5, high: 2 },
      /capped at limits.timeout/,
    ],
    [
      'three runs: min / median / max',
      training(),
      runs(1800, 3600, 5400),
      { low: 0.5, expected: 1, high: 1.5 },
      /3 earlier runs on Azure Standard_NC6s_v3/,
    ],
    [
      'one run: the high end widened by half',
      training({ timeoutHours: undefined }),
      runs(3600),
      { low: 1, expected: 1, high: 1.5 },
      /1 earlier run /,
    ],
    // Issue 15: a run on another size says nothing about this size's hours; expected-hours stands (it used to be
    // taken when no run matched).
    [
      'runs on another size do not count: expected-hours stands, and the source says what was left out',
      training(),
      [{ version: '1', durationSeconds: 7200, instanceType: 'Standard_NC24s_v3', target: 'azure' }],
      { low: 0.5, expected: 1, high: 2 },
      /^train\.expected-hours \(1 h\), no earlier run on Azure Standard_NC6s_v3 yet; 1 earlier run elsewhere \(Azure Standard_NC24s_v3\) not counted$/,
    ],
    [
      'only the runs on the same size count when both are recorded',
      training(),
      [
        { version: '1', durationSeconds: 7200, instanceType: 'Standard_NC24s_v3', target: 'azure' },
        { version: '2', durationSeconds: 60, target: 'local' },
        { version: '3', durationSeconds: 1800, instanceType: 'Standard_NC6s_v3', target: 'azure' },
      ],
      { low: 0.5, expected: 0.5, high: 0.75 },
      /^the actual durations of 1 earlier run on Azure Standard_NC6s_v3 \(median 30 min\); 2 earlier runs elsewhere \(Azure Standard_NC24s_v3, the local runner\) not counted$/,
    ],
    [
      'local runs do not predict an Azure job',
      training(),
      [{ version: '1', durationSeconds: 60, target: 'local' }],
      { low: 0.5, expected: 1, high: 2 },
      /^train\.expected-hours \(1 h\), no earlier run on Azure Standard_NC6s_v3 yet; 1 earlier run elsewhere \(the local runner\) not counted$/,
    ],
    // Issue 15: the estimate prices the job's Azure size even when train.target is local, so local runs (on a CPU
    // runner) do not predict it; they used to.
    [
      'local runs do not predict a local one either: the estimate prices the Azure size',
      training({ target: 'local', timeoutHours: undefined }),
      [
        { version: '1', durationSeconds: 1800, target: 'local' },
        { version: '2', durationSeconds: 3600, target: 'azure', instanceType: 'Standard_NC24s_v3' },
      ],
      { low: 0.5, expected: 1, high: 2 },
      /^train\.expected-hours \(1 h\), no earlier run on Azure Standard_NC6s_v3 yet; 2 earlier runs elsewhere \(the local runner, Azure Standard_NC24s_v3\) not counted$/,
    ],
    [
      'an Azure run on the size predicts a local-target estimate, which prices that size',
      training({ target: 'local', timeoutHours: undefined }),
      [{ version: '1', durationSeconds: 1800, target: 'azure', instanceType: 'Standard_NC6s_v3' }],
      { low: 0.5, expected: 0.5, high: 0.75 },
      /^the actual durations of 1 earlier run on Azure Standard_NC6s_v3 \(median 30 min\)$/,
    ],
    [
      'neither: half the timeout',
      training({ expectedHours: undefined, timeoutHours: 4 }),
      [],
      { low: 1, expected: 2, high: 4 },
      /half of limits.timeout/,
    ],
    [
      'nothing at all: one hour assumed',
      training({ expectedHours: undefined, timeoutHours: undefined }),
      [],
      { low: 0.5, expected: 1, high: 2 },
      /assumed 1 h/,
    ],
  ])('%s', (_name, t, history, range, source) => {
    const h = trainingHours(t, history);
    expect(h.range).toEqual(range);
    expect(h.source).toMatch(source);
  });
});

describe('estimate', () => {
  it('bills the run, node start-up and idle time per node-hour, and always-on endpoints for 730 h', () => {
    const e = estimate(
      plan({
        endpoints: [
          { file: 'b.yml', name: 'flowers/blue', instanceType: 'Standard_DS3_v2', instanceCount: 2, sizeAt: at },
        ],
      }),
      prices,
      [],
      src,
    );
    expect(byKey(e, 'train')).toEqual({ low: 1.5, expected: 3, high: 6 });
    expect(byKey(e, 'startup').expected).toBeCloseTo(3 * 0.1);
    expect(byKey(e, 'idle')).toEqual({ low: 0.3, expected: 0.3, high: 0.3 });
    expect(byKey(e, 'endpoint:flowers/blue')).toEqual({ low: 365, expected: 365, high: 365 });
    expect(e.items.find((i) => i.key === 'endpoint:flowers/blue')!.alwaysOn).toBe(true);
    expect(e.run.expected).toBeCloseTo(3 + 0.3 + 0.3);
    expect(e.month.expected).toBe(365);
  });

  it('multiplies by instance count; Azure ML default idle when the file sets none', () => {
    const e = estimate(plan({ training: training({ instanceCount: 4, idleSeconds: undefined }) }), prices, [], src);
    expect(byKey(e, 'train').expected).toBe(12);
    expect(byKey(e, 'idle').expected).toBeCloseTo((4 * 3 * 120) / 3600);
    expect(e.items.find((i) => i.key === 'idle')!.detail).toMatch(/default/);
  });

  it('prices a low-priority cluster on its meter, else the spot meter', () => {
    expect(
      byKey(estimate(plan({ training: training({ tier: 'low-priority' }) }), prices, [], src), 'train').expected,
    ).toBe(0.6);
    const t4 = estimate(
      plan({ training: training({ tier: 'low-priority', instanceType: 'Standard_NC4as_T4_v3' }) }),
      prices,
      [],
      src,
    );
    expect(byKey(t4, 'train').expected).toBe(0.2);
    expect(t4.items[0]!.detail).toMatch(/spot meter/);
  });

  it('a sweep costs trials × per-trial hours, each trial starting its nodes; idle once per concurrent node', () => {
    const e = estimate(
      plan({ training: training({ sweep: { trials: 10, concurrent: 2 }, instanceCount: 1 }) }),
      prices,
      [],
      src,
    );
    expect(byKey(e, 'train').expected).toBe(30);
    expect(byKey(e, 'startup').expected).toBeCloseTo(10 * 0.1 * 3);
    expect(byKey(e, 'idle').expected).toBeCloseTo((2 * 3 * 360) / 3600);
    expect(e.items[0]!.label).toBe('sweep: 10 trials on gpu');
  });

  it('flags min_instances as capacity kept alive permanently', () => {
    const e = estimate(plan({ training: training({ minInstances: 1 }) }), prices, [], src);
    expect(byKey(e, 'cluster-floor').expected).toBe(3 * 730);
    expect(e.items.find((i) => i.key === 'cluster-floor')!.alwaysOn).toBe(true);
  });
});

describe('diff and budget', () => {
  const head = estimate(
    plan({
      endpoints: [{ file: 'b.yml', name: 'e/green', instanceType: 'Standard_DS3_v2', instanceCount: 1, sizeAt: at }],
    }),
    prices,
    [],
    src,
  );
  const base = estimate(plan({ training: training({ instanceType: 'Standard_NC4as_T4_v3' }) }), prices, [], src);

  it('lines up items by key; new and removed items count against zero', () => {
    const d = diffEstimates('main', base, head);
    expect(d.rows.find((r) => r.key === 'train')).toMatchObject({ base: 0.5, head: 3, change: 2.5 });
    expect(d.rows.find((r) => r.key === 'endpoint:e/green')).toMatchObject({
      base: undefined,
      head: 182.5,
      change: 182.5,
    });
    expect(d.run.change).toBeCloseTo(head.run.expected - base.run.expected);
    const back = diffEstimates('main', head, base);
    expect(back.rows.find((r) => r.key === 'endpoint:e/green')).toMatchObject({ head: undefined, change: -182.5 });
  });

  it.each([
    ['within', plan({ budgetUsd: 100, maxIncreaseUsd: 1000 }), [], 'within', []],
    ['over the run budget', plan({ budgetUsd: 1, maxIncreaseUsd: 1000 }), [], 'over', ['budget-usd/run']],
    [
      'over the increase, per run and per month',
      plan({ budgetUsd: 100, maxIncreaseUsd: 2 }),
      [],
      'over',
      ['max-increase-usd/run', 'max-increase-usd/month'],
    ],
    [
      'overridden by the label',
      plan({ budgetUsd: 1 }),
      ['cost-approved'],
      'overridden',
      ['budget-usd/run', 'max-increase-usd/run', 'max-increase-usd/month'],
    ],
    [
      'another label does not override',
      plan({ budgetUsd: 1, maxIncreaseUsd: 1000 }),
      ['bug'],
      'over',
      ['budget-usd/run'],
    ],
    ['no limits', plan({ budgetUsd: undefined, maxIncreaseUsd: undefined }), [], 'no-budget', []],
  ])('%s', (_n, p, labels, verdict, breaches) => {
    const g = budgetGate(p, head, diffEstimates('main', base, head), labels);
    expect(g.verdict).toBe(verdict);
    expect(g.breaches.map((b) => `${b.limit}/${b.period}`)).toEqual(breaches);
  });
});

it.each([
  [14 / 3600, '14 s'],
  [0.5, '30 min'],
  [1.5, '1.5 h'],
  [2.25, '2.25 h'],
])('%d h reads as %s', (h, text) => expect(fmtHours(h)).toBe(text));

describe('catalog', () => {
  it('suggests the nearest known sizes for a misspelt one', () => {
    expect(suggestSkus('Standard_NC6s_v4')[0]).toBe('Standard_NC6s_v3');
    expect(suggestSkus('standard_nc24ads_a100_v4')[0]).toBe('Standard_NC24ads_A100_v4');
  });
  it('the snapshot knows GPU families in the main regions, and which regions lack a size', () => {
    const r = snapshotLookup(
      'westeurope',
      ['Standard_NC6s_v3', 'Standard_ND96asr_v4', 'Standard_NV36ads_A10_v5', 'Standard_NC99'],
      'offline',
    );
    expect(new Set(r.prices.map((p) => p.sku))).toEqual(
      new Set(['Standard_NC6s_v3', 'Standard_ND96asr_v4', 'Standard_NV36ads_A10_v5']),
    );
    expect(
      r.prices
        .filter((p) => p.sku === 'Standard_NC6s_v3')
        .map((p) => p.tier)
        .sort(),
    ).toEqual(['dedicated', 'low-priority', 'spot']);
    expect(r.missing).toEqual([{ sku: 'Standard_NC99', pricedIn: [] }]);
    expect(r.source).toMatchObject({ kind: 'snapshot', date: '2026-11-29', approximate: true });
    expect(snapshotLookup('westus3', ['Standard_NC6s_v3'], 'x').missing[0]!.pricedIn).toContain('eastus');
  });
});
