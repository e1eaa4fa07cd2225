import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEnvironments, checkJobGpu } from '../../src/checks/environment.js';
import type { ComputeFile, EnvironmentFile, JobFile, Project } from '../../src/config/project.js';
import { SourceDoc } from '../../src/config/source.js';
import type { TfamlConfig } from '../../src/config/types.js';
import { ConfigurationError } from '../../src/core/errors.js';
import type { Finding } from '../../src/core/findings.js';

const DIGEST = `sha256:${'ef'.repeat(32)}`;
const CU118 = `mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:20240101.v1@${DIGEST}`;
const CU112 = `mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.2-cudnn8-ubuntu20.04:20240101.v1@${DIGEST}`;
const CPU = `mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101.v1@${DIGEST}`;

/* Project records built straight from YAML text, independent of the loader. */

function doc(file: string, text: string, root = '/virtual'): SourceDoc {
  return SourceDoc.parse(file, path.join(root, file), text);
}

function environment(
  file: string,
  text: string,
  extra: Partial<EnvironmentFile> = {},
  root = '/virtual',
): EnvironmentFile {
  const d = doc(file, text, root);
  const data = d.data as Record<string, unknown>;
  return {
    entry: { path: file, stage: 'production', index: 0 },
    doc: d,
    name: String(data.name ?? ''),
    version: data.version === undefined ? undefined : String(data.version),
    image: typeof data.image === 'string' ? data.image : undefined,
    ...extra,
  };
}

function compute(file: string, text: string): ComputeFile {
  const d = doc(file, text);
  const data = d.data as Record<string, unknown>;
  return {
    entry: { path: file, stage: 'production', index: 0 },
    doc: d,
    name: String(data.name),
    size: data.size as string | undefined,
  };
}

function job(file: string, text: string): JobFile {
  const d = doc(file, text);
  const data = d.data as Record<string, unknown>;
  return {
    entry: { path: file, stage: 'production', index: 0 },
    doc: d,
    type: 'command',
    environment: typeof data.environment === 'string' ? { value: data.environment, at: ['environment'] } : undefined,
    compute: typeof data.compute === 'string' ? { value: data.compute, at: ['compute'] } : undefined,
    inputs: [],
  };
}

function project(parts: Partial<Omit<Project, 'config'>>, root = '/virtual'): Project {
  return {
    config: { root } as unknown as TfamlConfig,
    environments: [],
    data: [],
    compute: [],
    jobs: [],
    endpoints: [],
    ...parts,
  };
}

const brief = (fs: Finding[]): [string, string, string, number][] =>
  fs.map((f) => [f.rule, f.severity, f.file, f.line]);

type ImageCase = [image: string, expected: null | { severity: 'error' | 'warning'; text: string }];

describe('checkEnvironments', () => {
  it('reports a missing version at the name line', () => {
    const env = environment(
      'envs/tf.yml',
      `$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nname: tf-gpu\nimage: ${CPU}\n`,
    );
    const findings = checkEnvironments(project({ environments: [env] }));
    expect(brief(findings)).toEqual([['env/missing-version', 'error', 'envs/tf.yml', 2]]);
    expect(findings[0]!.message).toContain('add an explicit version (version: "1")');
  });

  it.each(['"3"', '3', '2024.01.1'])('accepts version: %s', (v) => {
    const env = environment('envs/tf.yml', `name: tf-gpu\nversion: ${v}\nimage: ${CPU}\n`);
    expect(checkEnvironments(project({ environments: [env] }))).toEqual([]);
  });

  const images: ImageCase[] = [
    ['mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04', { severity: 'error', text: 'has no tag' }],
    [
      'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest',
      { severity: 'error', text: 'uses the tag `latest`' },
    ],
    [
      'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:20240101.v1',
      {
        severity: 'warning',
        text: 'pin the image by digest: image: mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:20240101.v1@sha256:<digest> (find it with `docker buildx imagetools inspect mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:20240101.v1`)',
      },
    ],
    ['myreg:5000/ml/tf', { severity: 'error', text: 'has no tag' }],
    ['myreg:5000/ml/tf:1.0', { severity: 'warning', text: 'pinned by tag only' }],
    [CU118, null],
    [`myreg:5000/ml/tf@${DIGEST}`, null],
  ];
  it.each(images)('image: %s', (image, expected) => {
    const env = environment('envs/tf.yml', `name: tf\nversion: "1"\nimage: ${image}\n`);
    const findings = checkEnvironments(project({ environments: [env] }));
    if (expected === null) return expect(findings).toEqual([]);
    expect(brief(findings)).toEqual([['env/unpinned-image', expected.severity, 'envs/tf.yml', 3]]);
    expect(findings[0]!.column).toBe(8);
    expect(findings[0]!.message).toContain(expected.text);
  });

  it('reports conda dependencies at their lines and tensorflow against the image at the image line', () => {
    const conda = doc(
      'envs/conda.yml',
      'name: tf\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.10\n  - pip=24.0.1\n  - pip:\n      - tensorflow==2.15.0\n      - numpy\n      - -e ../lib\n',
    );
    const env = environment('envs/tf.yml', `name: tf\nversion: "1"\nimage: ${CU118}\nconda_file: conda.yml\n`, {
      conda,
    });
    const findings = checkEnvironments(project({ environments: [env] }));
    expect(brief(findings)).toEqual([
      ['env/unpinned-package', 'warning', 'envs/conda.yml', 5],
      ['env/unpinned-package', 'error', 'envs/conda.yml', 9],
      ['env/local-path-dependency', 'error', 'envs/conda.yml', 10],
      ['env/cuda-mismatch', 'error', 'envs/tf.yml', 3],
    ]);
    expect(findings[3]!.message).toContain('tensorflow 2.15.0 is built for CUDA 12.2');
  });

  it('reports a conda file shared by two environments once', () => {
    const conda = doc('envs/conda.yml', 'dependencies:\n  - numpy\n');
    const a = environment('envs/a.yml', `name: a\nversion: "1"\nimage: ${CPU}\nconda_file: conda.yml\n`, { conda });
    const b = environment('envs/b.yml', `name: b\nversion: "1"\nimage: ${CPU}\nconda_file: conda.yml\n`, { conda });
    expect(brief(checkEnvironments(project({ environments: [a, b] })))).toEqual([
      ['env/unpinned-package', 'error', 'envs/conda.yml', 2],
    ]);
  });

  describe('with files on disk', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tfaml-env-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(path.join(root, 'envs/docker'), { recursive: true });
    writeFileSync(path.join(root, 'envs/requirements.txt'), 'tensorflow==2.14.0\nkeras\n');
    writeFileSync(
      path.join(root, 'envs/docker/Dockerfile'),
      [
        'ARG BASE=mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:20240101.v1',
        'FROM ${BASE} AS base',
        'RUN pip install tensorflow==2.15.0 \\',
        '      pandas',
        'FROM base',
        '',
      ].join('\n'),
    );

    it('reads -r requirements beside the conda file and warns that Azure ML will not see them', () => {
      const conda = doc(
        'envs/conda.yml',
        'dependencies:\n  - python=3.11.9\n  - pip:\n      - -r requirements.txt\n',
        root,
      );
      const env = environment(
        'envs/tf.yml',
        `name: tf\nversion: "1"\nimage: ${CU118}\nconda_file: conda.yml\n`,
        { conda },
        root,
      );
      const findings = checkEnvironments(project({ environments: [env] }, root));
      expect(brief(findings)).toEqual([
        ['env/local-path-dependency', 'warning', 'envs/conda.yml', 4],
        ['env/unpinned-package', 'error', 'envs/requirements.txt', 2],
      ]);
      expect(findings[0]!.message).toContain('copy its lines into this pip list');
    });

    it('a missing -r file in any environment is one ConfigurationError naming each', () => {
      const c1 = doc('envs/c1.yml', 'dependencies:\n  - pip:\n      - -r nope.txt\n', root);
      const c2 = doc(
        'envs/c2.yml',
        'dependencies:\n  - pip:\n      - numpy==1.26.4\n      - --requirement=gone.txt\n',
        root,
      );
      const a = environment('envs/a.yml', `name: a\nversion: "1"\nimage: ${CPU}\n`, { conda: c1 }, root);
      const b = environment('envs/b.yml', `name: b\nversion: "1"\nimage: ${CPU}\n`, { conda: c2 }, root);
      let err: unknown;
      try {
        checkEnvironments(project({ environments: [a, b] }, root));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigurationError);
      const e = err as ConfigurationError;
      expect([e, ...e.more].map((x) => x.location)).toEqual([
        { file: 'envs/c1.yml', line: 3, column: 9 },
        { file: 'envs/c2.yml', line: 4, column: 9 },
      ]);
      expect(e.describe()).toContain('envs/gone.txt does not exist');
    });

    it('checks a build context: FROM through ARG, RUN installs, tensorflow against the final base', () => {
      const env = environment(
        'envs/built.yml',
        'name: built\nversion: "2"\nbuild:\n  path: docker\n',
        { build: { dir: 'envs/docker', dockerfile: 'envs/docker/Dockerfile' } },
        root,
      );
      const findings = checkEnvironments(project({ environments: [env] }, root));
      expect(brief(findings)).toEqual([
        ['env/cuda-mismatch', 'error', 'envs/docker/Dockerfile', 2],
        ['env/unpinned-image', 'warning', 'envs/docker/Dockerfile', 2],
        ['env/unpinned-package', 'error', 'envs/docker/Dockerfile', 4],
      ]);
      expect(findings[0]!.message).toContain('CUDA 11.8');
      expect(findings[1]!.message).toContain('FROM "${BASE}" (ARG BASE on line 1)');
    });

    it('uses dockerfileText when the loader kept it', () => {
      const env = environment(
        'envs/built.yml',
        'name: built\nversion: "2"\nbuild:\n  path: docker\n',
        { build: { dir: 'envs/docker', dockerfile: 'envs/docker/Dockerfile', dockerfileText: `FROM ${CPU}\n` } },
        root,
      );
      expect(checkEnvironments(project({ environments: [env] }, root))).toEqual([]);
    });
  });
});

type JobCase = [
  name: string,
  jobYaml: string,
  expected: { severity: 'error' | 'warning'; line: number; text: string }[],
];

describe('checkJobGpu', () => {
  const conda = (tf: string): SourceDoc =>
    doc(
      'azureml/environments/conda.yml',
      `dependencies:\n  - python=3.10.14\n  - pip=24.0.1\n  - pip:\n      - ${tf}\n`,
    );
  const envs = [
    environment(
      'azureml/environments/old.yml',
      `name: tf-old\nversion: "1"\nimage: ${CU112}\nconda_file: conda.yml\n`,
      { conda: conda('tensorflow==2.11.0') },
    ),
    environment(
      'azureml/environments/new.yml',
      `name: tf-new\nversion: "3"\nimage: ${CU118}\nconda_file: conda.yml\n`,
      { conda: conda('tensorflow==2.14.0') },
    ),
    environment('azureml/environments/cpu.yml', `name: tf-cpu\nversion: "1"\nimage: ${CPU}\nconda_file: conda.yml\n`, {
      conda: conda('tensorflow==2.15.0'),
    }),
  ];
  const computes = [
    compute('azureml/compute/h100.yml', 'name: h100-cluster\ntype: amlcompute\nsize: Standard_NC40ads_H100_v5\n'),
    compute('azureml/compute/t4.yml', 'name: t4-cluster\ntype: amlcompute\nsize: Standard_NC4as_T4_v3\n'),
    compute('azureml/compute/cpu.yml', 'name: cpu-cluster\ntype: amlcompute\nsize: Standard_DS3_v2\n'),
  ];
  const cases: JobCase[] = [
    [
      'old CUDA on H100',
      'command: python train.py\nenvironment: azureml:tf-old:1\ncompute: azureml:h100-cluster\n',
      [{ severity: 'error', line: 3, text: 'compute "h100-cluster" ("Standard_NC40ads_H100_v5") has H100 GPUs' }],
    ],
    [
      'CUDA 11.8 on H100',
      'command: python train.py\nenvironment: azureml:tf-new:3\ncompute: azureml:h100-cluster\n',
      [],
    ],
    ['old CUDA on T4', 'command: python train.py\nenvironment: azureml:tf-old:1\ncompute: azureml:t4-cluster\n', []],
    [
      'file: reference',
      'command: python train.py\nenvironment: file:../environments/old.yml\ncompute: azureml:h100-cluster\n',
      [{ severity: 'error', line: 3, text: 'need CUDA 11.8 or newer' }],
    ],
    [
      'GPU image on a CPU cluster',
      'command: python train.py\nenvironment: azureml:tf-new:3\ncompute: azureml:cpu-cluster\n',
      [{ severity: 'warning', line: 3, text: 'has no GPU' }],
    ],
    [
      'CPU image on a GPU cluster',
      'command: python train.py\ncompute: azureml:t4-cluster\nenvironment: azureml:tf-cpu:1\n',
      [{ severity: 'warning', line: 2, text: 'the GPU stays idle' }],
    ],
    [
      'serverless instance type',
      'command: python train.py\nenvironment: azureml:tf-old:1\nresources:\n  instance_type: Standard_NC80adis_H100_v5\n',
      [{ severity: 'error', line: 4, text: 'serverless compute "Standard_NC80adis_H100_v5"' }],
    ],
    [
      'a label does not resolve',
      'command: python train.py\nenvironment: azureml:tf-old@latest\ncompute: azureml:h100-cluster\n',
      [],
    ],
    [
      'an unknown version does not resolve',
      'command: python train.py\nenvironment: azureml:tf-old:9\ncompute: azureml:h100-cluster\n',
      [],
    ],
    [
      'an unknown compute does not resolve',
      'command: python train.py\nenvironment: azureml:tf-old:1\ncompute: azureml:elsewhere\n',
      [],
    ],
    ['no compute', 'command: python train.py\nenvironment: azureml:tf-old:1\n', []],
  ];
  it.each(cases)('%s', (_name, yaml, expected) => {
    const findings = checkJobGpu(
      project({ environments: envs, compute: computes, jobs: [job('azureml/jobs/train.yml', yaml)] }),
    );
    expect(findings.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual(
      expected.map((e) => ['env/cuda-mismatch', e.severity, 'azureml/jobs/train.yml', e.line]),
    );
    findings.forEach((f, i) => expect(f.message).toContain(expected[i]!.text));
  });

  it('skips an environment whose files cannot be read', () => {
    const broken = environment('azureml/environments/broken.yml', `name: broken\nversion: "1"\nimage: ${CU112}\n`, {
      conda: doc(
        'azureml/environments/c.yml',
        'dependencies:\n  - pip:\n      - -r missing.txt\n',
        mkdtempSync(path.join(tmpdir(), 'tfaml-empty-')),
      ),
    });
    const p = project({
      environments: [broken],
      compute: computes,
      jobs: [job('azureml/jobs/train.yml', 'environment: azureml:broken:1\ncompute: azureml:h100-cluster\n')],
    });
    expect(checkJobGpu(p).map((f) => f.severity)).toEqual(['error']);
  });
});
