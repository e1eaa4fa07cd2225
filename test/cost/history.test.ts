/** Estimated against actual: the cost tags an Azure run is registered with, and `cost --history`'s rows. */
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/core/tags.js';
import type { PriceSourceInfo, VmPrice } from '../../src/core/ports.js';
import { estimate } from '../../src/cost/estimate.js';
import { costHistory, recordedRuns, renderHistory, runCostTags, type TaggedVersion } from '../../src/cost/history.js';
import type { CostPlan } from '../../src/cost/plan.js';

const at = { file: 'x.yml', line: 1 };
const src: PriceSourceInfo = { kind: 'api', description: 'test', date: '2026-11-29' };
const prices: VmPrice[] = [
  { region: 'eastus', sku: 'Standard_NC6s_v3', tier: 'dedicated', hourly: 3, currency: 'USD' },
];
const plan: CostPlan = {
  project: 'p',
  model: 'm',
  region: 'eastus',
  currency: 'USD',
  training: {
    job: 'job.yml',
    compute: 'gpu',
    instanceType: 'Standard_NC6s_v3',
    instanceCount: 2,
    tier: 'dedicated',
    idleSeconds: 360,
    minInstances: 0,
    timeoutHours: 4,
    expectedHours: 1,
    target: 'azure',
    sizeAt: at,
  },
  endpoints: [],
  regionAt: at,
  currencyAt: at,
};

const azureRun = (version: string, seconds: number, extra: Record<string, string> = {}): TaggedVersion => ({
  name: 'm',
  version,
  createdAt: `2026-11-0${version}T10:00:00.000Z`,
  tags: {
    [TAGS.durationSeconds]: String(seconds),
    [TAGS.target]: 'azure',
    [TAGS.instanceType]: 'STANDARD_NC6S_V3',
    [TAGS.instanceCount]: '2',
    ...extra,
  },
});

describe('runCostTags', () => {
  it('records the estimate from the earlier runs, and the actual: real duration × instances × that price, plus idle', () => {
    const earlier = [azureRun('1', 1800)];
    const tags = runCostTags(plan, prices, src, earlier, {
      durationSeconds: 3600,
      instanceType: 'STANDARD_NC6S_V3',
      instanceCount: 2,
    });
    const expected = estimate(plan, prices, recordedRuns(earlier), src).run.expected;
    expect(tags).toEqual({
      [TAGS.estimatedUsd]: expected.toFixed(4),
      // 2 nodes × (3600 s + 360 s idle) at $3/h
      [TAGS.actualUsd]: (2 * 3 * (3960 / 3600)).toFixed(4),
      [TAGS.priceUsd]: '3',
    });
    // The earlier 30-minute run on the size made the estimate, not expected-hours.
    expect(expected).toBeCloseTo(estimate(plan, prices, [], src).run.expected - 2 * 3 * 0.5, 6);
  });

  it('a size with no price records the estimate only', () => {
    expect(
      runCostTags(plan, prices, src, [], {
        durationSeconds: 60,
        instanceType: 'Standard_ND96asr_v4',
        instanceCount: 1,
      }),
    ).toEqual({ [TAGS.estimatedUsd]: estimate(plan, prices, [], src).run.expected.toFixed(4) });
  });

  it('a project whose plan has no training records nothing', () => {
    expect(
      runCostTags({ ...plan, training: undefined }, prices, src, [], { durationSeconds: 60, instanceCount: 1 }),
    ).toEqual({});
  });
});

describe('cost history', () => {
  const versions: TaggedVersion[] = [
    { name: 'm', version: '1', tags: { [TAGS.durationSeconds]: '12.5', [TAGS.target]: 'local' } },
    { name: 'm', version: '2', tags: {} },
    azureRun('3', 3600, { [TAGS.estimatedUsd]: '5.0000', [TAGS.actualUsd]: '6.0000', [TAGS.priceUsd]: '3' }),
    azureRun('4', 1800, { [TAGS.estimatedUsd]: '4.0000', [TAGS.actualUsd]: '3.0000', [TAGS.priceUsd]: '3' }),
  ];

  it('lists the runs that record a duration, newest first, with how far off each estimate was', () => {
    expect(costHistory(recordedRuns(versions))).toEqual([
      {
        version: '4',
        createdAt: '2026-11-04T10:00:00.000Z',
        target: 'azure',
        instanceType: 'Standard_NC6s_v3',
        instanceCount: 2,
        durationSeconds: 1800,
        estimatedUsd: 4,
        actualUsd: 3,
        offBy: -0.25,
      },
      {
        version: '3',
        createdAt: '2026-11-03T10:00:00.000Z',
        target: 'azure',
        instanceType: 'Standard_NC6s_v3',
        instanceCount: 2,
        durationSeconds: 3600,
        estimatedUsd: 5,
        actualUsd: 6,
        offBy: 0.2,
      },
      {
        version: '1',
        createdAt: null,
        target: 'local',
        instanceType: null,
        instanceCount: null,
        durationSeconds: 12.5,
        estimatedUsd: null,
        actualUsd: null,
        offBy: null,
      },
    ]);
    expect(costHistory(recordedRuns(versions), 1).map((r) => r.version)).toEqual(['4']);
  });

  it('renders as a table with the mean miss, and says when nothing is recorded', () => {
    expect(renderHistory('m', 'the local experiment registry', costHistory(recordedRuns(versions)))).toBe(
      [
        '## Cost history: m (last 3 runs, newest first, from the local experiment registry)',
        '',
        '| version | trained | where | duration | estimated | actual | off by |',
        '|---|---|---|---:|---:|---:|---:|',
        '| 4 | 2026-11-04T10:00:00.000Z | azure 2 × Standard_NC6s_v3 | 30 min | $4.00 | $3.00 | −25% |',
        '| 3 | 2026-11-03T10:00:00.000Z | azure 2 × Standard_NC6s_v3 | 1 h | $5.00 | $6.00 | +20% |',
        '| 1 | — | local runner | 13 s | — | — | — |',
        '',
        'The estimates were off by 23% on average over 2 Azure runs.',
        'Runs on the local runner are not billed; an Azure run records its estimated and actual cost when it is registered.',
        '',
      ].join('\n'),
    );
    expect(renderHistory('m', 'r', [])).toBe(
      `No run of m in r records a duration yet (tag ${TAGS.durationSeconds}); train once first.\n`,
    );
  });
});
