/** azureml/unknown-key: keys Azure ML's schema does not have, from the table in src/checks/data/azureml-keys.json. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAzureMlKeys } from '../../src/checks/azureml-keys.js';
import table from '../../src/checks/data/azureml-keys.json' with { type: 'json' };
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { RULES } from '../../src/core/findings.js';
import { copyExample, patch, write } from '../helpers/project.js';

function load(dir: string) {
  return loadProject(loadConfig(path.join(dir, 'tfaml.yml'), { knownRules: Object.keys(RULES) }));
}

const found = (dir: string) =>
  checkAzureMlKeys(load(dir)).map((f) => ({ severity: f.severity, file: f.file, line: f.line, message: f.message }));

describe('the key table', () => {
  const tables = table.tables as Record<string, { from: string[]; keys: string[]; nested?: Record<string, string> }>;

  it('records where it was read: the SDK repository, its schema folder and a commit per file', () => {
    expect(table.source.repo).toBe('Azure/azure-sdk-for-python');
    expect(table.source.root).toBe('sdk/ml/azure-ai-ml/azure/ai/ml/_schema');
    const files = Object.entries(table.source.files);
    expect(files.length).toBeGreaterThan(10);
    for (const [file, commit] of files) {
      expect(file).toMatch(/^[_a-z/]+\.py$/);
      expect(commit, file).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('every kind names a table; every table has unique keys, its classes, and nested tables that exist', () => {
    for (const [kind, name] of Object.entries(table.kinds)) expect(tables[name], kind).toBeDefined();
    for (const [name, t] of Object.entries(tables)) {
      expect(t.from.length, name).toBeGreaterThan(0);
      expect(t.keys.length, name).toBeGreaterThan(0);
      expect(new Set(t.keys).size, `${name} repeats a key`).toBe(t.keys.length);
      for (const k of t.keys) expect(k, name).toMatch(/^\$?[a-z][a-z0-9_]*$/);
      for (const [key, inner] of Object.entries(t.nested ?? {})) {
        expect(t.keys, `${name}.nested.${key}`).toContain(key);
        expect(tables[inner], `${name}.nested.${key}`).toBeDefined();
      }
    }
  });

  it('top-level kinds accept $schema, as every Azure ML CLI v2 file starts with it', () => {
    for (const name of Object.values(table.kinds)) expect(tables[name]!.keys).toContain('$schema');
  });
});

describe('azureml/unknown-key', () => {
  it('the example project is clean', () => {
    expect(found(copyExample())).toEqual([]);
  });

  it.each([
    ['azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instance: 0', 'min_instance', 'min_instances', 5],
    ['azureml/environments/tf-gpu.yml', 'conda_file:', 'conda_fle:', 'conda_fle', 'conda_file', 6],
    ['azureml/data/flowers.yml', 'description:', 'descripton:', 'descripton', 'description', 4],
    ['azureml/jobs/train.yml', 'experiment_name:', 'experiment_nam:', 'experiment_nam', 'experiment_name', 3],
    ['azureml/jobs/train.yml', '  instance_count: 1', '  instance_cont: 1', 'instance_cont', 'instance_count', 17],
    ['azureml/endpoints/blue.yml', 'environment:', 'enviroment:', 'enviroment', 'environment', 5],
    ['azureml/endpoints/blue.yml', 'instance_count:', 'instance_cout:', 'instance_cout', 'instance_count', 7],
  ])('%s: %s misspelt is a warning at its line naming the known key', (file, from, to, key, near, line) => {
    const dir = copyExample();
    patch(dir, file, from, to);
    expect(found(dir)).toEqual([
      {
        severity: 'warning',
        file,
        line,
        message: expect.stringContaining(`unknown key "${key}" in `) as string,
      },
    ]);
    expect(found(dir)[0]!.message).toMatch(new RegExp(`did you mean \`${near}\`\\?$`));
  });

  it('names where a nested key sits: resources of this command job', () => {
    const dir = copyExample();
    patch(dir, 'azureml/jobs/train.yml', '  instance_count: 1', '  instance_cont: 1');
    expect(found(dir)[0]!.message).toBe(
      'unknown key "instance_cont" in resources of this command job: Azure ML\'s schema has no such key; did you mean `instance_count`?',
    );
  });

  it('a key far from any known one says to remove or correct it', () => {
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'tier: dedicated', 'tier: dedicated\nautoscale_everything: true');
    expect(found(dir)).toEqual([
      expect.objectContaining({
        line: 9,
        message:
          'unknown key "autoscale_everything" in this amlcompute cluster: Azure ML\'s schema has no such key; remove it or correct it against the Azure ML CLI v2 YAML reference',
      }),
    ]);
  });

  it('at most 20 a file, then one that counts the rest: 20,000 stray keys are reported in no time', () => {
    const dir = copyExample();
    const stray = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    patch(dir, 'azureml/data/flowers.yml', 'description:', `${stray}\ndescription:`);
    const f = found(dir);
    expect(f).toHaveLength(21);
    expect(f[0]).toMatchObject({ line: 4, message: expect.stringContaining('unknown key "k0" in this data asset') });
    expect(f[20]).toMatchObject({
      line: 23,
      message: 'and 19980 more unknown keys in this data asset; fix the ones above and run again',
    });
  });

  it('quotes the key JSON-style: quotes, backticks and line breaks in it stay text', () => {
    const dir = copyExample();
    patch(dir, 'azureml/data/flowers.yml', 'description:', '"x`\\"y\\n::error::z": 1\ndescription:');
    const [f] = found(dir);
    expect(f!.message).toContain('unknown key "x`\\"y\\n::error::z" in this data asset');
    expect(f!.message).not.toContain('\n');
  });

  it('user-named maps are not flagged: inputs, outputs, tags, environment variables, services, search space', () => {
    const dir = copyExample();
    write(
      dir,
      'azureml/jobs/train.yml',
      `$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
type: command
name: flowers-train-1
display_name: flowers-train
description: everything a command job may say
experiment_name: flowers-classifier
tags: { enviroment: dev, min_instance: "1" }
properties: { conda_fle: x }
command: python train.py --data \${{inputs.enviroment}}
code: ../../src
environment: azureml:tf-gpu:3
environment_variables: { comput: "1", TF_CPP_MIN_LOG_LEVEL: "2" }
compute: azureml:gpu-cluster
identity: { type: managed, client_id: 00000000-0000-0000-0000-000000000000 }
inputs:
  enviroment: { type: uri_folder, path: azureml:flowers:1, mode: ro_mount }
  lr: 0.01
outputs:
  comute: { type: uri_folder, mode: rw_mount }
services:
  my_tensorboard: { type: tensor_board, nodes: all, properties: { logDir: outputs/tblogs } }
resources: { instance_count: 2, instance_type: Standard_NC6s_v3, shm_size: 2g, docker_args: --ipc=host }
distribution: { type: tensorflow, worker_count: 2, parameter_server_count: 0 }
queue_settings: { job_tier: standard }
limits: { timeout: 7200 }
`,
    );
    expect(found(dir)).toEqual([]);
  });

  it('a sweep job: its trial, objective and limits are checked; its search space is the user’s', () => {
    const dir = copyExample();
    write(
      dir,
      'azureml/jobs/train.yml',
      `$schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json
type: sweep
compute: azureml:gpu-cluster
trial:
  command: python train.py --lr \${{search_space.learning_rat}}
  code: ../../src
  environment: azureml:tf-gpu:3
  resources: { instance_count: 1 }
search_space:
  learning_rat: { type: uniform, min_value: 0.001, max_value: 0.1 }
sampling_algorithm: random
objective: { goal: maximize, primary_metric: accuracy }
early_termination: { type: bandit, evaluation_interval: 1, slack_factor: 0.1 }
limits: { max_total_trials: 4, max_concurrent_trials: 2, timeout: 3600, trial_timout: 600 }
`,
    );
    expect(found(dir)).toEqual([
      expect.objectContaining({
        line: 14,
        message: expect.stringMatching(/^unknown key "trial_timout" in limits of this sweep job: .*`trial_timeout`\?$/),
      }),
    ]);
  });

  it('an inline environment in a job is checked with the environment keys', () => {
    const dir = copyExample();
    patch(
      dir,
      'azureml/jobs/train.yml',
      'environment: azureml:tf-gpu:3',
      'environment:\n  image: python:3.11\n  conda_fil: x.yml',
    );
    expect(found(dir)).toEqual([
      expect.objectContaining({ line: 9, message: expect.stringContaining('in environment of this command job') }),
    ]);
  });

  it('kinds the table does not know (a pipeline job, a kubernetes compute) are not judged', () => {
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'type: amlcompute', 'type: kubernetes\nnamespace: ml');
    expect(found(dir)).toEqual([]);
  });

  it('a misspelt required key stops the load with an error at the misspelling that names the key', () => {
    const dir = copyExample();
    patch(dir, 'azureml/jobs/train.yml', 'environment:', 'enviroment:');
    let err: unknown;
    try {
      load(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).message).toContain(
      'the command job has no `environment`; add `environment: azureml:<name>:<version>` (the key "enviroment" here looks like a misspelling of `environment`)',
    );
    expect((err as ConfigurationError).location).toMatchObject({ file: 'azureml/jobs/train.yml', line: 7 });
  });
});
