import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConda } from '../../src/parse/conda.js';
import {
  checkGpuCompute,
  checkTfCuda,
  effectiveCuda,
  findPackageCuda,
  findPython,
  findTensorflow,
  gpuForSize,
  imageCuda,
  isCpuSize,
  tfBuild,
  type EnvCudaFacts,
} from '../../src/checks/cuda.js';
import gpuData from '../../src/checks/data/gpu-skus.json' with { type: 'json' };
import tfData from '../../src/checks/data/tf-cuda.json' with { type: 'json' };
import { SourceDoc } from '../../src/config/source.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const img = (flavour: string): string => `mcr.microsoft.com/azureml/${flavour}:20240101.v1@${DIGEST}`;
const CU118 = img('openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04');
const CU121 = img('openmpi4.1.0-cuda12.1-cudnn8-ubuntu22.04');
const CU122 = img('openmpi4.1.0-cuda12.2-cudnn8-ubuntu22.04');
const CU112 = img('openmpi4.1.0-cuda11.2-cudnn8-ubuntu20.04');
const CPU = img('openmpi4.1.0-ubuntu22.04');

/**
 * Facts for an environment: the image on line 3 of env.yml, conda deps from line 4 of conda.yml (python first,
 * then the given conda entries, then a pip list whose entries start on line 5 + conda entries + 1).
 */
function facts(image: string | undefined, pip: string[], condaDeps: string[] = ['python=3.10.14']): EnvCudaFacts {
  const lines = ['name: tf', 'dependencies:', ...condaDeps.map((d) => `  - ${d}`)];
  if (pip.length) lines.push('  - pip:', ...pip.map((p) => `      - ${JSON.stringify(p)}`));
  const doc = SourceDoc.parse('env/conda.yml', path.join('/virtual', 'env/conda.yml'), `${lines.join('\n')}\n`);
  const deps = parseConda(doc, '/virtual').dependencies;
  return {
    label: 'tf:1',
    tf: findTensorflow(deps),
    python: findPython(deps),
    packages: findPackageCuda(deps),
    image:
      image === undefined
        ? undefined
        : { ref: image, location: { file: 'env/env.yml', line: 3, column: 8 }, cuda: imageCuda(image) },
  };
}

describe('data files', () => {
  it('name their sources', () => {
    expect(tfData.source).toBe(
      'tensorflow.org, Build from source → Tested build configurations (tensorflow/docs site/en/install/source.md), read 2026-11-29',
    );
    expect(gpuData.source).toContain('learn.microsoft.com/azure/virtual-machines/sizes-gpu');
    expect(gpuData.source).toContain('developer.nvidia.com/cuda-gpus');
  });

  it.each([
    ['2.18.0', { cuda: '12.5', cudnn: '9.3', python: { min: '3.9', max: '3.12' } }],
    ['2.16.2', { tensorflow: '2.16.1', cuda: '12.3' }],
    ['2.15.1', { cuda: '12.2', cudnn: '8.9' }],
    ['2.14', { cuda: '11.8', cudnn: '8.7', python: { min: '3.9', max: '3.11' } }],
    ['2.4.0', { cuda: '11.0', cudnn: '8.0' }],
  ])('tensorflow %s', (v, row) => {
    expect(tfBuild(v)).toMatchObject(row);
  });

  it('does not know every tensorflow', () => {
    expect(tfBuild('2.19.0')).toBeUndefined();
    expect(tfBuild('1.15.0')).toBeUndefined();
  });

  it.each([
    ['Standard_NC6', { gpu: 'K80', cudaMaxMajor: 11, retired: true, gpus: 1 }],
    ['Standard_NC24rs_v3', { gpu: 'V100', computeCapability: '7.0', gpus: 4 }],
    ['standard_nc4as_t4_v3', { gpu: 'T4', computeCapability: '7.5', series: 'NCasT4_v3' }],
    ['Standard_NC24ads_A100_v4', { gpu: 'A100', cudaMin: '11.0' }],
    ['Standard_NC80adis_H100_v5', { gpu: 'H100', cudaMin: '11.8', computeCapability: '9.0', gpus: 2 }],
    ['Standard_ND96amsr_A100_v4', { gpu: 'A100', gpus: 8 }],
    ['Standard_ND96isr_H100_v5', { gpu: 'H100', gpus: 8 }],
    ['Standard_NV36ads_A10_v5', { gpu: 'A10', cudaMin: '11.1', computeCapability: '8.6' }],
    ['Standard_NV12s_v3', { gpu: 'M60' }],
  ])('GPU size %s', (size, expected) => {
    expect(gpuForSize(size)).toMatchObject(expected);
  });

  it.each([
    ['Standard_DS3_v2', true],
    ['Standard_E4ds_v5', true],
    ['Standard_NC6s_v3', false],
    ['Standard_ND40rs_v2', false],
  ])('%s is a CPU size: %s', (size, cpu) => {
    expect(isCpuSize(size)).toBe(cpu);
  });
});

describe('image CUDA', () => {
  it.each([
    [CU118, { kind: 'gpu', cuda: { major: 11, minor: 8 }, cudnn: { major: 8 } }],
    [
      'mcr.microsoft.com/azureml/openmpi4.1.0-cuda12.1-cudnn8-ubuntu22.04:latest',
      { kind: 'gpu', cuda: { major: 12, minor: 1 } },
    ],
    [
      'nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04',
      { kind: 'gpu', cuda: { major: 12, minor: 2 }, cudnn: { major: 8 } },
    ],
    ['mcr.microsoft.com/azureml/curated/tensorflow-2.12-cuda11:7', { kind: 'gpu', cuda: { major: 11 } }],
    ['tensorflow/tensorflow:2.15.0-gpu', { kind: 'gpu' }],
    [CPU, { kind: 'cpu' }],
    ['python:3.10-slim', { kind: 'cpu' }],
    ['myacr.azurecr.io/team/base:1.4', { kind: 'unknown' }],
  ])('%s', (ref, expected) => {
    expect(imageCuda(ref)).toEqual(expect.objectContaining(expected));
  });
});

describe('what an environment pins', () => {
  it.each([
    [['tensorflow==2.15.0'], { flavour: 'tensorflow', version: '2.15.0', andCuda: false }],
    [['tensorflow[and-cuda]==2.15.0'], { flavour: 'tensorflow', andCuda: true }],
    [['tensorflow-gpu==2.10.0'], { flavour: 'tensorflow-gpu', version: '2.10.0' }],
    [['tensorflow-cpu==2.15.0'], { flavour: 'tensorflow-cpu' }],
    [['tensorflow>=2.10'], { flavour: 'tensorflow', version: undefined }],
    [['tf-nightly==2.17.0.dev20240101'], undefined],
    [['tensorflow-macos==2.15.0; sys_platform == "darwin"'], undefined],
  ])('%j', (pip, expected) => {
    const tf = facts(undefined, pip).tf;
    if (expected === undefined) expect(tf).toBeUndefined();
    else expect(tf).toMatchObject(expected);
  });

  it('reads python and package CUDA', () => {
    const f = facts(
      CU118,
      ['tensorflow==2.13.1', 'nvidia-cudnn-cu11==8.6.0.163'],
      ['python=3.11.9', 'cudatoolkit=11.8.0'],
    );
    expect(f.python?.series).toBe('3.11');
    expect(effectiveCuda(f)).toMatchObject({
      cuda: { ver: { major: 11, minor: 8 }, source: 'package', location: { line: 4 } },
      cudnn: { ver: { major: 8, minor: 6 }, source: 'package' },
    });
  });
});

type TfCase = [
  name: string,
  image: string | undefined,
  pip: string[],
  conda: string[],
  expected: { severity: 'error' | 'warning'; file: string; line: number; text: string }[],
];

describe('tensorflow against CUDA, cuDNN and python', () => {
  const cases: TfCase[] = [
    ['matching pair', CU118, ['tensorflow==2.14.0'], ['python=3.11.9'], []],
    [
      'CUDA major mismatch',
      CU118,
      ['tensorflow==2.15.0'],
      ['python=3.10.14'],
      [
        {
          severity: 'error',
          file: 'env/env.yml',
          line: 3,
          text: 'tensorflow 2.15.0 is built for CUDA 12.2 and cuDNN 8.9, but the image',
        },
      ],
    ],
    [
      'CUDA 12 image, tensorflow for CUDA 11',
      CU122,
      ['tensorflow==2.12.0'],
      ['python=3.10.14'],
      [{ severity: 'error', file: 'env/env.yml', line: 3, text: 'pin a tensorflow built for CUDA 12.2 (2.15)' }],
    ],
    [
      'CUDA minor mismatch',
      CU121,
      ['tensorflow==2.15.0'],
      ['python=3.10.14'],
      [{ severity: 'warning', file: 'env/env.yml', line: 3, text: 'tested with CUDA 12.2, and the image' }],
    ],
    [
      'cuDNN major mismatch',
      CU122,
      ['tensorflow==2.18.0'],
      ['python=3.10.14'],
      [
        { severity: 'warning', file: 'env/env.yml', line: 3, text: 'CUDA 12.5' },
        { severity: 'error', file: 'env/env.yml', line: 3, text: 'needs cuDNN 9 (tested with 9.3)' },
      ],
    ],
    [
      'python too new',
      CU118,
      ['tensorflow==2.14.0'],
      ['python=3.12.3'],
      [{ severity: 'error', file: 'env/conda.yml', line: 3, text: 'tensorflow 2.14 has no wheels for python 3.12' }],
    ],
    [
      'python too old',
      CU118,
      ['tensorflow==2.14.0'],
      ['python=3.8.18'],
      [{ severity: 'error', file: 'env/conda.yml', line: 3, text: 'supports python 3.9–3.11' }],
    ],
    [
      'partial python pin',
      CU118,
      ['tensorflow==2.14.1'],
      ['python=3.12'],
      [{ severity: 'error', file: 'env/conda.yml', line: 3, text: 'no wheels for python 3.12' }],
    ],
    ['and-cuda brings its own CUDA', CU118, ['tensorflow[and-cuda]==2.15.0'], ['python=3.10.14'], []],
    ['and-cuda on a CPU image', CPU, ['tensorflow[and-cuda]==2.16.1'], ['python=3.12.3'], []],
    [
      'and-cuda before 2.14',
      CU112,
      ['tensorflow[and-cuda]==2.11.0'],
      ['python=3.10.14'],
      [{ severity: 'warning', file: 'env/conda.yml', line: 5, text: 'has no [and-cuda] extra' }],
    ],
    [
      'tensorflow-gpu after 2.11',
      CU118,
      ['tensorflow-gpu==2.12.0'],
      ['python=3.10.14'],
      [{ severity: 'error', file: 'env/conda.yml', line: 5, text: 'tensorflow-gpu package was retired after 2.11' }],
    ],
    ['tensorflow-gpu 2.10 on CUDA 11.2', CU112, ['tensorflow-gpu==2.10.0'], ['python=3.10.14'], []],
    ['tensorflow-cpu is not compared', CU112, ['tensorflow-cpu==2.15.0'], ['python=3.10.14'], []],
    ['a CPU image is not a mismatch', CPU, ['tensorflow==2.15.0'], ['python=3.10.14'], []],
    ['an unknown image is not a mismatch', 'myacr.azurecr.io/base:1', ['tensorflow==2.15.0'], ['python=3.10.14'], []],
    ['tensorflow the table does not know', CU118, ['tensorflow==2.19.0'], ['python=3.12.3'], []],
    ['a range is left to env/unpinned-package', CU118, ['tensorflow>=2.15'], ['python=3.10.14'], []],
    ['conda tensorflow brings its own cudatoolkit', CU118, [], ['python=3.10.14', 'tensorflow=2.15.0'], []],
    ['package CUDA wins over the image', CU122, ['tensorflow==2.14.0'], ['python=3.10.14', 'cudatoolkit=11.8.0'], []],
    [
      'package CUDA mismatch is reported at the package',
      CU118,
      ['tensorflow==2.15.0'],
      ['python=3.10.14', 'cuda-version=11.8'],
      [{ severity: 'error', file: 'env/conda.yml', line: 4, text: 'but "cuda-version=11.8" has CUDA 11.8' }],
    ],
  ];
  it.each(cases)('%s', (_name, image, pip, conda, expected) => {
    const findings = checkTfCuda(facts(image, pip, conda));
    expect(findings.map((f) => ({ severity: f.severity, file: f.file, line: f.line }))).toEqual(
      expected.map((e) => ({ severity: e.severity, file: e.file, line: e.line })),
    );
    findings.forEach((f, i) => {
      expect(f.rule).toBe('env/cuda-mismatch');
      expect(f.message).toContain(expected[i]!.text);
    });
  });
});

type GpuCase = [
  name: string,
  size: string,
  image: string | undefined,
  pip: string[],
  expected: { severity: 'error' | 'warning'; text: string }[],
];

describe('environment against the compute GPU', () => {
  const at = { file: 'jobs/train.yml', line: 7, column: 10 };
  const cases: GpuCase[] = [
    ['T4 with CUDA 11.8', 'Standard_NC4as_T4_v3', CU118, ['tensorflow==2.14.0'], []],
    [
      'H100 with CUDA 11.2',
      'Standard_NC40ads_H100_v5',
      CU112,
      ['tensorflow==2.11.0'],
      [{ severity: 'error', text: 'H100 GPUs (compute capability 9.0), which need CUDA 11.8 or newer' }],
    ],
    ['H100 with CUDA 11.8', 'Standard_NC40ads_H100_v5', CU118, ['tensorflow==2.14.0'], []],
    ['A100 with CUDA 11.2', 'Standard_NC24ads_A100_v4', CU112, ['tensorflow==2.11.0'], []],
    [
      'A10 with CUDA 11.0',
      'Standard_NV36ads_A10_v5',
      img('openmpi4.1.0-cuda11.0-cudnn8-ubuntu18.04'),
      ['tensorflow==2.4.0'],
      [{ severity: 'error', text: 'need CUDA 11.1 or newer' }],
    ],
    [
      'K80 with CUDA 12',
      'Standard_NC6',
      CU122,
      ['tensorflow==2.15.0'],
      [{ severity: 'error', text: 'which CUDA 12 and newer no longer support' }],
    ],
    [
      'K80 with and-cuda 2.15 (CUDA 12 from pip)',
      'Standard_NC12',
      CPU,
      ['tensorflow[and-cuda]==2.15.0'],
      [{ severity: 'error', text: 'the NC series is also retired' }],
    ],
    ['H100 with and-cuda 2.15', 'Standard_ND96isr_H100_v5', CU112, ['tensorflow[and-cuda]==2.15.0'], []],
    [
      'CUDA image on a CPU size',
      'Standard_DS3_v2',
      CU118,
      ['tensorflow==2.14.0'],
      [{ severity: 'warning', text: 'has no GPU, but environment tf:1 is built on the GPU image' }],
    ],
    [
      'CPU image on a GPU size',
      'Standard_NC6s_v3',
      CPU,
      ['tensorflow==2.15.0'],
      [{ severity: 'warning', text: 'the GPU stays idle while you pay for it' }],
    ],
    [
      'tensorflow-cpu on a GPU size',
      'Standard_NC6s_v3',
      CU118,
      ['tensorflow-cpu==2.14.0'],
      [{ severity: 'warning', text: 'which never uses a GPU' }],
    ],
    ['CPU image and CPU size', 'Standard_DS3_v2', CPU, ['tensorflow==2.15.0'], []],
    ['an unknown N-series size', 'Standard_ND40rs_v2', CPU, ['tensorflow==2.15.0'], []],
    ['an unknown image on a GPU size', 'Standard_NC6s_v3', 'myacr.azurecr.io/base:1', ['tensorflow==2.15.0'], []],
  ];
  it.each(cases)('%s', (_name, size, image, pip, expected) => {
    const findings = checkGpuCompute(facts(image, pip), { label: `compute gpu (${size})`, size, location: at });
    expect(findings.map((f) => f.severity)).toEqual(expected.map((e) => e.severity));
    findings.forEach((f, i) => {
      expect(f).toMatchObject({
        rule: 'env/cuda-mismatch',
        file: 'jobs/train.yml',
        line: 7,
        column: 10,
        source: 'files',
      });
      expect(f.message).toContain(expected[i]!.text);
    });
  });
});
