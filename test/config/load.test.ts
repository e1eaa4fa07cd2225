import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { RULES } from '../../src/core/findings.js';
import { EXAMPLES, copyExample, patch, tempDir, write } from '../helpers/project.js';

function loadError(dir: string): ConfigurationError {
  try {
    loadProject(loadConfig(path.join(dir, 'tfaml.yml'), { knownRules: Object.keys(RULES) }));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return e as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadConfig', () => {
  it('reads the example with defaults applied', () => {
    const c = loadConfig(path.join(EXAMPLES, 'tfaml.yml'));
    expect(c.project).toBe('flowers-classifier');
    expect(c.owners).toEqual(['@acme/ml-platform']);
    expect(c.environments[0]).toMatchObject({ path: 'azureml/environments/tf-gpu.yml', stage: 'production', index: 0 });
    expect(c.compute[0]!.stage).toBe('experimental');
    expect(c.model).toMatchObject({ format: 'graph', inputShape: [224, 224, 3], fineTune: { mode: 'none' } });
    expect(c.train).toMatchObject({ target: 'local', epochs: 5, batchSize: 16, validationSplit: 0.25, seed: 42 });
    expect(c.gates.map((g) => g.metric)).toEqual(['accuracy', 'accuracy', 'latency_p95_ms']);
    expect(c.registries).toEqual({ experiment: 'local', production: { kind: 'local' } });
    expect(c.policy.maxIdleSeconds).toBe(1800);
    expect(c.cost).toMatchObject({ region: 'eastus', budgetUsd: 50, currency: 'USD' });
  });

  it('reads the Azure ML files it references, as written', () => {
    const p = loadProject(loadConfig(path.join(EXAMPLES, 'tfaml.yml')));
    expect(p.environments[0]).toMatchObject({ name: 'tf-gpu', version: '3' });
    expect(p.environments[0]!.conda?.file).toBe('azureml/environments/conda.yml');
    expect(p.data[0]).toMatchObject({ name: 'flowers', version: '1', type: 'uri_folder' });
    expect(p.compute[0]).toMatchObject({
      name: 'gpu-cluster',
      size: 'Standard_NC6s_v3',
      minInstances: 0,
      idleSeconds: 600,
    });
    expect(p.jobs[0]).toMatchObject({
      type: 'command',
      environment: { value: 'azureml:tf-gpu:3' },
      compute: { value: 'azureml:gpu-cluster' },
      timeoutSeconds: 7200,
    });
    expect(p.jobs[0]!.inputs).toEqual([
      { name: 'data', value: 'azureml:flowers:1', at: ['inputs', 'data', 'path'], type: 'uri_folder' },
    ]);
    expect(p.endpoints[0]).toMatchObject({ instanceType: 'Standard_DS3_v2', instanceCount: 1 });
  });

  it('reads a sweep job and an environment with a build context', () => {
    const dir = copyExample();
    write(
      dir,
      'azureml/jobs/sweep.yml',
      'type: sweep\ntrial:\n  command: python train.py\n  code: ../../src\n  environment: azureml:tf-gpu:3\ncompute: azureml:gpu-cluster\nlimits:\n  max_total_trials: 8\n  trial_timeout: 1200\nsampling_algorithm: random\nobjective: { goal: maximize, primary_metric: accuracy }\n',
    );
    patch(dir, 'tfaml.yml', 'jobs:\n', 'jobs:\n  - path: azureml/jobs/sweep.yml\n');
    write(dir, 'azureml/environments/Dockerfile', 'FROM python:3.10\n');
    write(dir, 'azureml/environments/built.yml', 'name: built\nversion: "1"\nbuild:\n  path: .\n');
    patch(dir, 'tfaml.yml', 'environments:\n', 'environments:\n  - path: azureml/environments/built.yml\n');
    const p = loadProject(loadConfig(path.join(dir, 'tfaml.yml')));
    expect(p.jobs.find((j) => j.type === 'sweep')).toMatchObject({
      environment: { value: 'azureml:tf-gpu:3', at: ['trial', 'environment'] },
      timeoutSeconds: 1200,
    });
    expect(p.environments.find((e) => e.name === 'built')!.build).toEqual({
      dir: 'azureml/environments',
      dockerfile: 'azureml/environments/Dockerfile',
    });
  });
});

describe('bad input: exit 2 with file, line, column and the fix', () => {
  const cases: { name: string; file?: string; from: string | RegExp; to: string; message: RegExp; at: string }[] = [
    {
      name: 'unknown key, nearest suggested',
      from: 'batch-size: 16',
      to: 'batch-szie: 16',
      message: /unknown key `batch-szie` in train; did you mean `batch-size`\?/,
      at: 'tfaml.yml:40:3',
    },
    {
      name: 'unknown top-level key',
      from: 'promote:',
      to: 'promotion:',
      message: /unknown key `promotion` in the top level; did you mean `promote`\?/,
      at: 'tfaml.yml:59:1',
    },
    {
      name: 'wrong type',
      from: 'epochs: 5',
      to: 'epochs: five',
      message: /train\.epochs is "five"; it must be an integer/,
      at: 'tfaml.yml:39:11',
    },
    {
      name: 'enum typo',
      from: 'format: graph',
      to: 'format: grph',
      message: /model\.format is "grph"; it must be one of graph, layers \(did you mean graph\?\)/,
      at: 'tfaml.yml:29:11',
    },
    {
      name: 'bad owner',
      from: 'owners: ["@acme/ml-platform"]',
      to: 'owners: ["acme"]',
      message: /owners\[0\] is "acme", which is not valid; write a GitHub user as @login or a team as @org\/team/,
      at: 'tfaml.yml:5:10',
    },
    {
      name: 'version',
      from: 'version: 1\n',
      to: 'version: 2\n',
      message: /version is 2; it must be 1/,
      at: 'tfaml.yml:3:10',
    },
    {
      name: 'gate without threshold',
      from: '  - metric: latency_p95_ms\n    max: 500',
      to: '  - metric: latency_p95_ms',
      message: /gates\[2\] names a metric but no threshold; add min, max, max-drop or max-drop-pct/,
      at: 'tfaml.yml:51:5',
    },
    {
      name: 'contradicting gate',
      from: 'min: 0.7',
      to: 'min: 0.7\n    max: 0.5',
      message: /gates\[0\] for accuracy has min 0.7 above max 0.5/,
      at: 'tfaml.yml:48:10',
    },
    {
      name: 'missing referenced file',
      from: 'azureml/compute/gpu-cluster.yml',
      to: 'azureml/compute/gpu.yml',
      message: /compute\[0\]\.path: azureml\/compute\/gpu\.yml does not exist; fix the path/,
      at: 'tfaml.yml:17:11',
    },
    {
      name: 'malformed YAML',
      from: 'project: flowers-classifier',
      to: 'project: [flowers',
      message: /not valid YAML: Flow sequence/,
      at: 'tfaml.yml:5',
    },
    {
      name: 'train.data names no data asset',
      from: 'data: flowers\n',
      to: 'data: flower\n',
      message: /train\.data "flower" is not the name of a data asset listed under `data:`; the names are flowers/,
      at: 'tfaml.yml:38:9',
    },
    {
      name: 'unknown rule in suppress',
      from: 'cost:\n',
      to: 'suppress:\n  - rule: env/unpined-image\n    reason: vendor image\ncost:\n',
      message: /suppress\[0\]\.rule "env\/unpined-image" is not a rule id; did you mean env\/unpinned-image\?/,
      at: 'tfaml.yml:63:11',
    },
    {
      name: 'suppression without reason',
      from: 'cost:\n',
      to: 'suppress:\n  - rule: env/unpinned-image\ncost:\n',
      message: /suppress\[0\] is missing the required key `reason`/,
      at: 'tfaml.yml:63',
    },
    {
      name: 'a blank suppression reason',
      from: 'cost:\n',
      to: 'suppress:\n  - rule: env/unpinned-image\n    reason: "    "\ncost:\n',
      message: /suppress\[0\]\.reason is blank; say why this finding is accepted/,
      at: 'tfaml.yml:64:13',
    },
    {
      name: 'a too short suppression reason',
      from: 'cost:\n',
      to: 'suppress:\n  - rule: env/unpinned-image\n    reason: ok\ncost:\n',
      message: /suppress\[0\]\.reason is shorter than 3 characters; say why this finding is accepted/,
      at: 'tfaml.yml:64:13',
    },
    {
      name: 'malformed Azure ML YAML',
      file: 'azureml/compute/gpu-cluster.yml',
      from: 'min_instances: 0',
      to: 'min_instances: [0',
      message: /not valid YAML/,
      at: 'azureml/compute/gpu-cluster.yml:',
    },
    {
      name: 'wrong type in Azure ML YAML',
      file: 'azureml/compute/gpu-cluster.yml',
      from: 'min_instances: 0',
      to: 'min_instances: none',
      message: /min_instances must be a number, found "none"/,
      at: 'azureml/compute/gpu-cluster.yml:5:16',
    },
    {
      name: 'missing conda file',
      file: 'azureml/environments/tf-gpu.yml',
      from: 'conda_file: conda.yml',
      to: 'conda_file: condo.yml',
      message:
        /the conda file azureml\/environments\/condo\.yml does not exist; fix conda_file \(it resolves against the folder of azureml\/environments\/tf-gpu\.yml\)/,
      at: 'azureml/environments/tf-gpu.yml:6:13',
    },
    {
      name: 'job without environment',
      file: 'azureml/jobs/train.yml',
      from: 'environment: azureml:tf-gpu:3\n',
      to: '',
      message: /the command job has no `environment`/,
      at: 'azureml/jobs/train.yml:',
    },
  ];

  it.each(cases)('$name', ({ file, from, to, message, at }) => {
    const dir = copyExample();
    patch(dir, file ?? 'tfaml.yml', from, to);
    const err = loadError(dir);
    const text = err.describe();
    expect(text).toMatch(message);
    expect(text).toContain(at);
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports every problem at once', () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'epochs: 5', 'epoch: 5');
    patch(dir, 'tfaml.yml', 'format: graph', 'format: frozen');
    const lines = loadError(dir).describe().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^tfaml\.yml:29:11: model\.format/);
    expect(lines[1]).toMatch(/^tfaml\.yml:39:3: unknown key `epoch` in train; did you mean `epochs`\?/);
  });

  it('an empty tfaml.yml says how to start', () => {
    const dir = tempDir();
    write(dir, 'tfaml.yml', '# nothing yet\n');
    expect(loadError(dir).describe()).toMatch(/tfaml\.yml:1:1: the file is empty; start from the example/);
  });

  it('a missing tfaml.yml names it', () => {
    const dir = tempDir();
    expect(loadError(dir).describe()).toMatch(
      /the config file tfaml\.yml does not exist; run tfaml from the folder that holds tfaml\.yml, or pass --config <path>/,
    );
  });
});

describe('messages that lead the right way', () => {
  it('a tab: the first syntax error alone, not the cascade the parser guesses below it', () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', '  target: local', '\ttarget: local');
    const err = loadError(dir);
    expect(err.more).toEqual([]);
    expect(err.describe()).toMatch(
      /^tfaml\.yml:\d+:1: this is not valid YAML: Tabs are not allowed as indentation; fix the syntax here \(the lines after it are checked once it parses\)$/,
    );
  });

  it('version: "1", quoted as Azure ML files quote theirs, is version 1', () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', /^version: 1$/m, 'version: "1"');
    expect(loadConfig(path.join(dir, 'tfaml.yml')).project).toBe('flowers-classifier');
    patch(dir, 'tfaml.yml', /^version: "1"$/m, 'version: 2');
    expect(loadError(dir).describe()).toMatch(/tfaml\.yml:\d+:\d+: .*version/);
  });
});
