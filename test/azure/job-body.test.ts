/**
 * The command job body for each Azure ML YAML feature the azureml-examples command jobs use (input and output modes,
 * outputs with a path, distributions with their counts, literal inputs, instance types), built from a job YAML by
 * the domain (src/train/azure/job.ts), sent by the adapter (src/adapters/azure/workspace.ts) and checked as the fake
 * ARM received it. The fake holds the body to the REST contract (test/fakes/arm/job-contract.ts), as Azure does.
 */
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AzureWorkspace } from '../../src/adapters/azure/workspace.js';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { RULES } from '../../src/core/findings.js';
import { buildCommandJob, trainJob } from '../../src/train/azure/job.js';
import { copyExample, patch, write } from '../helpers/project.js';
import { startFakeArm, type FakeArm } from '../fakes/arm/server.js';
import { workspaceFor } from './helpers.js';

let fake: FakeArm;
let ws: AzureWorkspace;
let n = 0;
beforeAll(async () => {
  fake = await startFakeArm();
  fake.addCompute('gpu-cluster', { minNodeCount: 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT10M' });
  ws = workspaceFor(fake, { retry: { retryDelayInMs: 10, maxRetries: 0 } });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.faults.length = 0;
  fake.requests.length = 0;
});

const HEAD = `$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
command: python train.py
environment: azureml:tf-gpu:3
compute: azureml:gpu-cluster
`;

/** The spec train would build from a job YAML (the example project with its train.yml replaced). */
function specOf(yaml: string) {
  const dir = copyExample();
  patch(dir, 'tfaml.yml', 'target: local', 'target: azure');
  write(dir, 'azureml/jobs/train.yml', HEAD + yaml);
  const project = loadProject(loadConfig(path.join(dir, 'tfaml.yml'), { knownRules: Object.keys(RULES) }));
  return buildCommandJob(project, trainJob(project), {
    environmentId: `${fake.workspaceId}/environments/tf-gpu/versions/3`,
    computeId: `${fake.workspaceId}/computes/gpu-cluster`,
    dataIds: {},
    tags: {},
  });
}

/** Submits the job YAML to the fake ARM and returns the job properties it received. */
async function bodyOf(yaml: string): Promise<Record<string, unknown>> {
  const name = `job-body-${++n}`;
  await ws.createJob(name, specOf(yaml));
  return fake.jobs.get(name)!.body.properties as Record<string, unknown>;
}

/** The ConfigurationError (exit 2) a job YAML gets, as `file:line: message`. */
function refusal(yaml: string): string {
  try {
    specOf(yaml);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).exitCode).toBe(2);
    const e = err as ConfigurationError;
    return `${e.location?.file}:${e.location?.line}: ${e.message}`;
  }
  throw new Error('no refusal');
}

describe('input modes: the YAML spelling becomes the InputDeliveryMode enum', () => {
  it.each([
    ['ro_mount', 'ReadOnlyMount'],
    ['rw_mount', 'ReadWriteMount'],
    ['download', 'Download'],
    ['direct', 'Direct'],
    ['eval_mount', 'EvalMount'],
    ['eval_download', 'EvalDownload'],
  ])('mode: %s is sent as %s', async (yaml, rest) => {
    const body = await bodyOf(
      `inputs:\n  data:\n    type: uri_folder\n    path: azureml://datastores/workspaceblobstore/paths/flowers/\n    mode: ${yaml}\n`,
    );
    expect(body.inputs).toEqual({
      data: {
        jobInputType: 'uri_folder',
        uri: 'azureml://datastores/workspaceblobstore/paths/flowers/',
        mode: rest,
      },
    });
  });

  it('no mode: ReadOnlyMount, as the CLI defaults; uri_file and mltable inputs keep their type', async () => {
    const body = await bodyOf(
      'inputs:\n  csv:\n    type: uri_file\n    path: https://azuremlexamples.blob.core.windows.net/datasets/iris.csv\n  table:\n    type: mltable\n    path: azureml:iris-table:1\n    mode: eval_mount\n',
    );
    expect(body.inputs).toEqual({
      csv: {
        jobInputType: 'uri_file',
        uri: 'https://azuremlexamples.blob.core.windows.net/datasets/iris.csv',
        mode: 'ReadOnlyMount',
      },
      table: { jobInputType: 'mltable', uri: 'azureml:iris-table:1', mode: 'EvalMount' },
    });
  });

  it('an unknown mode is refused at its line (exit 2), naming the valid ones', () => {
    expect(refusal('inputs:\n  data:\n    type: uri_folder\n    path: azureml:flowers:1\n    mode: readonly\n')).toBe(
      'azureml/jobs/train.yml:9: input data has mode "readonly"; Azure ML accepts ro_mount, rw_mount, download, direct, eval_mount, eval_download',
    );
  });

  it('the REST spelling is not a YAML mode either (one spelling, the CLI’s)', () => {
    expect(
      refusal('inputs:\n  data:\n    type: uri_folder\n    path: azureml:flowers:1\n    mode: ReadOnlyMount\n'),
    ).toMatch(/^azureml\/jobs\/train\.yml:9: input data has mode "ReadOnlyMount"/);
  });

  it('an unknown input type is refused at its line', () => {
    expect(refusal('inputs:\n  data:\n    type: uri_dir\n    path: azureml:flowers:1\n')).toBe(
      'azureml/jobs/train.yml:7: input data has type "uri_dir"; Azure ML accepts uri_folder, uri_file, mltable, custom_model, mlflow_model, triton_model',
    );
  });
});

describe('outputs', () => {
  it.each([
    ['rw_mount', 'ReadWriteMount'],
    ['upload', 'Upload'],
  ])('mode: %s is sent as %s, with the path as uri', async (yaml, rest) => {
    const body = await bodyOf(
      `outputs:\n  model:\n    type: custom_model\n  scored:\n    type: uri_folder\n    path: azureml://datastores/workspaceblobstore/paths/scored/\n    mode: ${yaml}\n`,
    );
    expect(body.outputs).toEqual({
      model: { jobOutputType: 'custom_model', mode: 'ReadWriteMount' },
      scored: {
        jobOutputType: 'uri_folder',
        mode: rest,
        uri: 'azureml://datastores/workspaceblobstore/paths/scored/',
      },
    });
  });

  it('an output mode the API version does not have (direct) is refused at its line, saying why', () => {
    expect(refusal('outputs:\n  model:\n    type: uri_folder\n    mode: direct\n')).toBe(
      'azureml/jobs/train.yml:8: output model has mode "direct"; Azure ML accepts rw_mount, upload for an output (direct is not an output mode in the API version tfaml submits with, 2022-10-01)',
    );
  });
});

describe('distributions carry their counts', () => {
  it('mpi: process_count_per_instance', async () => {
    const body = await bodyOf(
      'resources:\n  instance_count: 2\ndistribution:\n  type: mpi\n  process_count_per_instance: 4\n',
    );
    expect(body.distribution).toEqual({ distributionType: 'Mpi', processCountPerInstance: 4 });
    expect(body.resources).toEqual({ instanceCount: 2 });
  });

  it('tensorflow: worker_count and parameter_server_count', async () => {
    const body = await bodyOf(
      'resources:\n  instance_count: 3\ndistribution:\n  type: tensorflow\n  worker_count: 2\n  parameter_server_count: 1\n',
    );
    expect(body.distribution).toEqual({ distributionType: 'TensorFlow', workerCount: 2, parameterServerCount: 1 });
  });

  it('tensorflow without counts: one worker per instance, no parameter server', async () => {
    const body = await bodyOf('resources:\n  instance_count: 2\ndistribution:\n  type: tensorflow\n');
    expect(body.distribution).toEqual({ distributionType: 'TensorFlow', workerCount: 2 });
  });

  it('pytorch: process_count_per_instance', async () => {
    const body = await bodyOf(
      'resources:\n  instance_count: 2\ndistribution:\n  type: pytorch\n  process_count_per_instance: 8\n',
    );
    expect(body.distribution).toEqual({ distributionType: 'PyTorch', processCountPerInstance: 8 });
  });

  it('an unknown type or a count that is not a whole number is refused at its line', () => {
    expect(refusal('distribution:\n  type: horovod\n')).toBe(
      'azureml/jobs/train.yml:6: distribution.type is "horovod"; Azure ML accepts mpi, pytorch, tensorflow',
    );
    expect(refusal('distribution:\n  type: mpi\n  process_count_per_instance: 1.5\n')).toBe(
      'azureml/jobs/train.yml:7: distribution.process_count_per_instance is 1.5; it must be a whole number of at least 1',
    );
  });
});

describe('literal inputs and instance types', () => {
  it('scalars and { value } are literal inputs, sent as strings', async () => {
    const body = await bodyOf(
      'inputs:\n  epochs: 10\n  learning_rate: 0.01\n  optimizer: adam\n  shuffle: true\n  batch:\n    type: integer\n    value: 32\n',
    );
    expect(body.inputs).toEqual({
      epochs: { jobInputType: 'literal', value: '10' },
      learning_rate: { jobInputType: 'literal', value: '0.01' },
      optimizer: { jobInputType: 'literal', value: 'adam' },
      shuffle: { jobInputType: 'literal', value: 'true' },
      batch: { jobInputType: 'literal', value: '32' },
    });
  });

  it('an input with neither path nor value is refused at its line, not dropped', () => {
    expect(refusal('inputs:\n  data:\n    type: uri_folder\n')).toBe(
      'azureml/jobs/train.yml:7: input data has neither `path` (a data asset or URI) nor a value; give it one',
    );
  });

  it('resources.instance_type and instance_count are sent as resources', async () => {
    const body = await bodyOf('resources:\n  instance_count: 2\n  instance_type: STANDARD_NC24S_V3\n');
    expect(body.resources).toEqual({ instanceCount: 2, instanceType: 'STANDARD_NC24S_V3' });
    expect(body).toMatchObject({ jobType: 'Command', command: 'python train.py' });
  });
});

describe('the fake ARM holds the job PUT to the REST contract', () => {
  const url = (name: string, version = '2022-10-01') =>
    `${fake.url}${fake.workspaceId}/jobs/${name}?api-version=${version}`;
  const good = () => ({
    properties: {
      jobType: 'Command',
      command: 'python train.py',
      environmentId: 'env',
      computeId: `${fake.workspaceId}/computes/gpu-cluster`,
    },
  });
  async function put(body: unknown, name = `raw-${++n}`, version?: string) {
    const res = await ws.send('PUT', url(name, version), body, 'raw PUT', [200, 201, 400, 405]);
    return { status: res.status, body: JSON.parse(res.bodyAsText ?? '{}') as { error?: Record<string, unknown> } };
  }

  it('answers 400 UserError with a detail per problem for the YAML spellings, as Azure does', async () => {
    const body = good();
    Object.assign(body.properties, {
      inputs: { data: { jobInputType: 'uri_folder', uri: 'azureml:flowers:1', mode: 'ro_mount' } },
      outputs: { model: { jobOutputType: 'custom_model', mode: 'rw_mount' } },
      distribution: { distributionType: 'mpi', processCountPerInstance: 2 },
    });
    const r = await put(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'UserError', target: 'properties.inputs.data.mode' });
    expect((r.body.error!.details as { target: string }[]).map((d) => d.target)).toEqual([
      'properties.inputs.data.mode',
      'properties.outputs.model.mode',
      'properties.distribution.distributionType',
    ]);
    expect([...fake.jobs.keys()].some((k) => k.startsWith('raw-'))).toBe(false);
  });

  it('required fields: jobType, command, environmentId, an asset input’s uri, a literal’s value', async () => {
    expect((await put({})).status).toBe(400);
    const noCommand = good() as { properties: Record<string, unknown> };
    delete noCommand.properties.command;
    noCommand.properties.inputs = { a: { jobInputType: 'uri_file' }, b: { jobInputType: 'literal' } };
    const r = await put(noCommand);
    expect((r.body.error!.details as { target: string }[]).map((d) => d.target)).toEqual([
      'properties.command',
      'properties.inputs.a.uri',
      'properties.inputs.b.value',
    ]);
  });

  it('a count on the wrong distribution, an unknown job type, a bad api-version, POST-only operations', async () => {
    const tf = good();
    Object.assign(tf.properties, { distribution: { distributionType: 'TensorFlow', processCountPerInstance: 2 } });
    expect((await put(tf)).body.error).toMatchObject({ target: 'properties.distribution.processCountPerInstance' });
    expect((await put({ properties: { ...good().properties, jobType: 'Spark' } })).status).toBe(400);
    const v = await put(good(), `raw-${++n}`, '2021-03-01-preview');
    expect(v).toMatchObject({ status: 400, body: { error: { code: 'NoRegisteredProviderFound' } } });
    const secrets = await ws.send(
      'GET',
      `${fake.url}${fake.workspaceId}/datastores/workspaceblobstore/listSecrets?api-version=2022-10-01`,
      undefined,
      'GET listSecrets',
      [405],
    );
    expect(secrets.status).toBe(405);
    const cancel = await ws.send(
      'GET',
      `${fake.url}${fake.workspaceId}/jobs/job-body-1/cancel?api-version=2022-10-01`,
      undefined,
      'GET cancel',
      [405],
    );
    expect(cancel.status).toBe(405);
    expect((await put(good())).status).toBe(201);
  });
});
