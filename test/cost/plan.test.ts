import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { planCost } from '../../src/cost/plan.js';
import { copyExample, patch, write } from '../helpers/project.js';

const plan = (dir: string) => planCost(loadProject(loadConfig(path.join(dir, 'tfaml.yml'))))!;

const SWEEP = `$schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json
type: sweep
compute: azureml:gpu-cluster
sampling_algorithm: random
objective: { goal: maximize, primary_metric: accuracy }
search_space:
  lr: { type: uniform, min_value: 0.0001, max_value: 0.01 }
trial:
  command: python train.py --lr \${{search_space.lr}}
  code: ../../src
  environment: azureml:tf-gpu:3
resources:
  instance_count: 2
limits:
  max_total_trials: 12
  max_concurrent_trials: 3
  trial_timeout: 1800
  timeout: 36000
`;

describe('the cost plan read from the Azure ML YAML', () => {
  it('the example: its job on gpu-cluster, the endpoint, cost settings', () => {
    const p = plan(copyExample());
    expect(p.training).toMatchObject({
      job: 'azureml/jobs/train.yml',
      compute: 'gpu-cluster',
      instanceType: 'Standard_NC6s_v3',
      instanceCount: 1,
      tier: 'dedicated',
      idleSeconds: 600,
      minInstances: 0,
      timeoutHours: 2,
      expectedHours: 0.5,
      target: 'local',
    });
    expect(p.endpoints).toEqual([
      expect.objectContaining({ name: 'flowers/blue', instanceType: 'Standard_DS3_v2', instanceCount: 1 }),
    ]);
    expect(p).toMatchObject({
      region: 'eastus',
      currency: 'USD',
      budgetUsd: 50,
      maxIncreaseUsd: 20,
      overrideLabel: 'cost-approved',
    });
  });

  it('VM sizes in any case map to the price list spelling (Azure treats sizes case-insensitively, the prices API does not)', () => {
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3', 'size: STANDARD_NC6S_V3');
    patch(dir, 'azureml/endpoints/blue.yml', 'instance_type: Standard_DS3_v2', 'instance_type: standard_ds3_v2');
    const p = plan(dir);
    expect(p.training!.instanceType).toBe('Standard_NC6s_v3');
    expect(p.endpoints[0]!.instanceType).toBe('Standard_DS3_v2');
  });

  it('a sweep: trials, concurrency, instance count and trial_timeout as the ceiling; a low-priority tier', () => {
    const dir = copyExample();
    write(dir, 'azureml/jobs/train.yml', SWEEP);
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'tier: dedicated', 'tier: low_priority');
    const t = plan(dir).training!;
    expect(t).toMatchObject({
      sweep: { trials: 12, concurrent: 3 },
      instanceCount: 2,
      timeoutHours: 0.5,
      tier: 'low-priority',
    });
  });

  it('serverless compute: resources.instance_type, no idle time', () => {
    const dir = copyExample();
    patch(dir, 'azureml/jobs/train.yml', 'compute: azureml:gpu-cluster\n', '');
    patch(
      dir,
      'azureml/jobs/train.yml',
      'instance_count: 1',
      'instance_count: 1\n  instance_type: Standard_NC24ads_A100_v4',
    );
    expect(plan(dir).training).toMatchObject({
      compute: 'serverless',
      instanceType: 'Standard_NC24ads_A100_v4',
      idleSeconds: 0,
    });
  });

  it('a compute without a size cannot be priced', () => {
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3\n', '');
    expect(() => plan(dir)).toThrow(/the compute gpu-cluster has no `size`/);
  });
});
