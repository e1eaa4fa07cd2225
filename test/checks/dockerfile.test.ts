import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDockerfile } from '../../src/checks/dockerfile.js';
import { imagePin, imageProblem, parseImageRef } from '../../src/checks/image.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const AML = 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04';

describe('image references', () => {
  it.each([
    ['python', { repository: 'python' }],
    ['python:3.10-slim', { repository: 'python', tag: '3.10-slim' }],
    ['myreg:5000/team/img', { registry: 'myreg:5000', repository: 'team/img' }],
    ['myreg:5000/team/img:1.2', { registry: 'myreg:5000', repository: 'team/img', tag: '1.2' }],
    [
      `${AML}:20240101.v1@${DIGEST}`,
      {
        registry: 'mcr.microsoft.com',
        repository: 'azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04',
        tag: '20240101.v1',
        digest: DIGEST,
      },
    ],
    [`localhost/img@${DIGEST}`, { registry: 'localhost', repository: 'img', digest: DIGEST }],
  ])('parses %s', (text, expected) => {
    expect(parseImageRef(text)).toMatchObject(expected);
  });

  it.each([
    [AML, 'no-tag', 'error', 'has no tag'],
    [`${AML}:latest`, 'latest', 'error', 'uses the tag `latest`'],
    [`${AML}:20240101.v1`, 'tag-only', 'warning', `image: ${AML}:20240101.v1@sha256:<digest>`],
    ['myreg:5000/img', 'no-tag', 'error', 'myreg:5000/img:<tag>@sha256:<digest>'],
    ['myreg:5000/img:2.0', 'tag-only', 'warning', 'docker buildx imagetools inspect myreg:5000/img:2.0'],
    [`${AML}@sha256:abc`, 'bad-digest', 'error', 'not sha256:<64 hex characters>'],
  ])('%s is %s', (text, pin, severity, message) => {
    expect(imagePin(parseImageRef(text))).toBe(pin);
    const p = imageProblem(text, 'image:');
    expect(p?.severity).toBe(severity);
    expect(p?.message).toContain(message);
  });

  it.each([`${AML}:20240101.v1@${DIGEST}`, `${AML}@${DIGEST}`, `python:latest@${DIGEST}`, `myreg:5000/img@${DIGEST}`])(
    '%s is pinned',
    (text) => {
      expect(imageProblem(text, 'image:')).toBeUndefined();
    },
  );
});

type FromCase = [
  name: string,
  dockerfile: string,
  expected: { line: number; severity: 'error' | 'warning'; text: string }[],
];

describe('FROM lines', () => {
  const cases: FromCase[] = [
    ['pinned by digest', `FROM ${AML}:20240101.v1@${DIGEST}\nRUN echo hi\n`, []],
    ['no tag', `# base\n\nFROM ${AML}\n`, [{ line: 3, severity: 'error', text: 'has no tag' }]],
    [
      'latest',
      `FROM python:latest AS build\n`,
      [{ line: 1, severity: 'error', text: 'FROM python:<tag>@sha256:<digest>' }],
    ],
    [
      'tag only',
      `FROM python:3.10-slim\n`,
      [{ line: 1, severity: 'warning', text: 'FROM python:3.10-slim@sha256:<digest>' }],
    ],
    ['platform flag', `FROM --platform=linux/amd64 python:3.10-slim@${DIGEST}\n`, []],
    [
      'scratch and stages',
      `FROM python:3.10@${DIGEST} AS Build\nFROM scratch\nFROM build\nCOPY --from=build /x /x\n`,
      [],
    ],
    ['registry with a port', `FROM myreg:5000/img\n`, [{ line: 1, severity: 'error', text: 'myreg:5000/img:latest' }]],
    [
      'continuation',
      `FROM \\\n  python:3.10 \\\n  AS base\n`,
      [{ line: 2, severity: 'warning', text: 'pinned by tag only' }],
    ],
    [
      'ARG ${VAR}',
      `ARG BASE=${AML}:20240101.v1\nFROM \${BASE}\n`,
      [{ line: 2, severity: 'warning', text: 'FROM "${BASE}" (ARG BASE on line 1)' }],
    ],
    [
      'ARG $VAR',
      `ARG TAG=20240101.v1\nFROM ${AML}:$TAG\n`,
      [{ line: 2, severity: 'warning', text: `"${AML}:20240101.v1" is pinned by tag only` }],
    ],
    ['ARG pinned', `ARG BASE="${AML}@${DIGEST}"\nFROM $BASE\n`, []],
    [
      'ARG ${VAR:-default}',
      `ARG TAG\nFROM python:\${TAG:-latest}\n`,
      [{ line: 2, severity: 'error', text: 'uses the tag `latest`' }],
    ],
    [
      'ARG without default',
      `ARG BASE\nFROM $BASE\n`,
      [{ line: 2, severity: 'error', text: 'FROM "$BASE" cannot be resolved: "BASE" has no default' }],
    ],
    ['undeclared variable', `FROM \${IMAGE}:1.0\n`, [{ line: 1, severity: 'error', text: 'cannot be resolved' }]],
    [
      'ARG after FROM does not apply to FROM',
      `FROM python:3.10@${DIGEST}\nARG BASE=python:3.11\nFROM $BASE\n`,
      [{ line: 3, severity: 'error', text: 'cannot be resolved' }],
    ],
    [
      'escape directive',
      `# escape=\`\nFROM \`\n  python:3.10\n`,
      [{ line: 3, severity: 'warning', text: 'pinned by tag only' }],
    ],
    ['lower-case keyword', `from python\n`, [{ line: 1, severity: 'error', text: 'has no tag' }]],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const findings = checkDockerfile('docker/Dockerfile', text).filter((f) => f.rule === 'env/unpinned-image');
    expect(findings.map((f) => ({ line: f.line, severity: f.severity }))).toEqual(
      expected.map((e) => ({ line: e.line, severity: e.severity })),
    );
    findings.forEach((f, i) => {
      expect(f).toMatchObject({ rule: 'env/unpinned-image', file: 'docker/Dockerfile', source: 'files' });
      expect(f.message).toContain(expected[i]!.text);
    });
  });
});

type RunCase = [
  name: string,
  dockerfile: string,
  expected: { line: number; severity: 'error' | 'warning'; text: string }[],
];

describe('RUN installs', () => {
  const head = `FROM python:3.10@${DIGEST}\n`;
  const cases: RunCase[] = [
    ['pinned', `${head}RUN pip install --no-cache-dir numpy==1.26.4 "tensorflow[and-cuda]==2.15.0"\n`, []],
    [
      'unpinned pip',
      `${head}RUN pip install numpy\n`,
      [{ line: 2, severity: 'error', text: '"numpy" has no version' }],
    ],
    [
      'pip3 and a range',
      `${head}RUN pip3 install 'pandas>=2'\n`,
      [{ line: 2, severity: 'error', text: 'version range' }],
    ],
    [
      'python -m pip',
      `${head}RUN python3 -m pip install -U requests==2.31\n`,
      [{ line: 2, severity: 'warning', text: 'names the series 2.31' }],
    ],
    [
      'flags with values are skipped',
      `${head}RUN pip install -i https://pypi.org/simple --extra-index-url https://x/simple -c constraints.txt --target /opt numpy==1.26.4\n`,
      [],
    ],
    [
      'continuation lines',
      `${head}RUN apt-get update && \\\n    pip install \\\n      numpy==1.26.4 \\\n      scipy\n`,
      [{ line: 5, severity: 'error', text: '"scipy"' }],
    ],
    [
      'conda install',
      `${head}RUN conda install -y -c conda-forge python=3.10 numpy=1.26.4 && conda clean -afy\n`,
      [{ line: 2, severity: 'warning', text: '"python=3.10" matches any 3.10.x' }],
    ],
    [
      'mamba create',
      `${head}RUN mamba create -n tf -y scipy\n`,
      [{ line: 2, severity: 'error', text: '"scipy" has no version' }],
    ],
    [
      'conda run pip',
      `${head}RUN conda run -n tf pip install keras\n`,
      [{ line: 2, severity: 'error', text: '"keras"' }],
    ],
    ['exec form', `${head}RUN ["pip", "install", "keras"]\n`, [{ line: 2, severity: 'error', text: '"keras"' }]],
    [
      'heredoc',
      `${head}RUN <<EOF\nset -e\npip install keras==3.0.5\npip install flask\nEOF\nRUN true\n`,
      [{ line: 5, severity: 'error', text: '"flask"' }],
    ],
    ['variables are skipped', `${head}ARG TF=2.15.0\nRUN pip install tensorflow==$TF "numpy==\${NP}"\n`, []],
    [
      'local paths are the build context',
      `${head}COPY . /src\nRUN pip install -e /src && pip install ./wheels/x-1.0-py3-none-any.whl\n`,
      [],
    ],
    [
      'env assignment and sudo',
      `${head}RUN PIP_NO_CACHE_DIR=1 sudo pip install pip\n`,
      [{ line: 2, severity: 'error', text: '"pip" has no version' }],
    ],
    ['apt-get is not checked', `${head}RUN apt-get install -y curl\n`, []],
    [
      'RUN --mount',
      `${head}RUN --mount=type=cache,target=/root/.cache pip install numpy\n`,
      [{ line: 2, severity: 'error', text: '"numpy"' }],
    ],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const findings = checkDockerfile('Dockerfile', text).filter((f) => f.rule !== 'env/unpinned-image');
    expect(findings.map((f) => ({ rule: f.rule, line: f.line, severity: f.severity }))).toEqual(
      expected.map((e) => ({ rule: 'env/unpinned-package', line: e.line, severity: e.severity })),
    );
    findings.forEach((f, i) => expect(f.message).toContain(expected[i]!.text));
  });

  describe('files from the build context', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tfaml-docker-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(path.join(root, 'ctx'), { recursive: true });
    writeFileSync(path.join(root, 'ctx/requirements.txt'), 'numpy==1.26.4\nscipy\n');
    writeFileSync(path.join(root, 'ctx/env.yml'), 'dependencies:\n  - python=3.11.9\n  - pip:\n      - keras>=3\n');

    it('reads pip -r and conda env -f files it can find', () => {
      const text = `${head}COPY requirements.txt env.yml /tmp/\nRUN pip install -r /tmp/requirements.txt && conda env update -n base -f /tmp/env.yml\nRUN pip install -r generated.txt\n`;
      const findings = checkDockerfile('ctx/Dockerfile', text, { root, dir: 'ctx' });
      expect(findings.map((f) => [f.file, f.line, f.severity])).toEqual([
        ['ctx/requirements.txt', 2, 'error'],
        ['ctx/env.yml', 4, 'error'],
      ]);
    });
  });
});
