import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dependencyFindings } from '../../src/checks/conda.js';
import { parseConda } from '../../src/parse/conda.js';
import { parseRequirementsText } from '../../src/parse/pip.js';
import { SourceDoc } from '../../src/config/source.js';
import { ConfigurationError } from '../../src/core/errors.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function conda(text: string, file = 'azureml/environments/conda.yml', root = '/virtual'): SourceDoc {
  return SourceDoc.parse(file, path.join(root, file), text);
}

/** A conda file with one conda dependency on line 4. */
function withConda(entry: string): SourceDoc {
  return conda(`name: tf\nchannels: [conda-forge]\ndependencies:\n  - ${entry}\n`);
}

/** A conda file with one pip dependency on line 6. */
function withPip(entry: string): SourceDoc {
  return conda(
    `name: tf\nchannels: [conda-forge]\ndependencies:\n  - pip=24.0.1\n  - pip:\n      - ${JSON.stringify(entry)}\n`,
  );
}

type Case = [entry: string, expected: null | { severity: 'error' | 'warning'; rule?: string; text: string }];

describe('conda dependencies', () => {
  const cases: Case[] = [
    ['python=3.10.14', null],
    ['python=3.10', { severity: 'warning', text: 'matches any 3.10.x release' }],
    ['python', { severity: 'error', text: 'has no version' }],
    ['pip', { severity: 'error', text: 'pin it: pip=<x.y.z>' }],
    ['numpy=1.26.4', null],
    ['numpy==1.26.4', null],
    ['conda-forge::numpy=1.26.4=py310hb13e2d6_0', null],
    ['numpy 1.26.4 py310hb13e2d6_0', null],
    ['numpy 1.26.4', null],
    ["numpy[version='1.26.4']", null],
    ['tzdata=2024a', null],
    ['_libgcc_mutex=0.1=conda_forge', null],
    ['pip=24.0=pyhd8ed1ab_0', null],
    ['numpy=1.26=*', { severity: 'warning', text: 'matches any 1.26.x release' }],
    ['numpy>=1.20', { severity: 'error', text: 'is a version range' }],
    ['numpy >=1.20,<2', { severity: 'error', text: 'is a version range' }],
    ['numpy 1.26.*', { severity: 'warning', text: 'matches any 1.26.x release' }],
    ['numpy=1', { severity: 'error', text: 'matches any 1.x release' }],
    ['numpy==1.26', { severity: 'warning', text: 'names the series 1.26' }],
    ['"numpy *"', { severity: 'error', text: 'is a version range' }],
  ];
  it.each(cases)('%s', (entry, expected) => {
    const env = parseConda(withConda(entry), '/virtual');
    const findings = dependencyFindings(env.dependencies);
    if (expected === null) return expect(findings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: expected.rule ?? 'env/unpinned-package',
      severity: expected.severity,
      file: 'azureml/environments/conda.yml',
      line: 4,
      source: 'files',
    });
    expect(findings[0]!.message).toContain(expected.text);
  });
});

describe('pip dependencies in a conda file', () => {
  const cases: Case[] = [
    ['tensorflow[and-cuda]==2.15.0', null],
    ['tensorflow==2.15.0', null],
    ['tensorflow==2.14', { severity: 'warning', text: 'names the series 2.14' }],
    ['tensorflow==2.14.*', { severity: 'warning', text: 'matches any 2.14.x release' }],
    ['tensorflow==2.*', { severity: 'error', text: 'matches any 2.x release' }],
    ['numpy', { severity: 'error', text: 'pin it: numpy==<x.y.z>' }],
    ['numpy>=1.2', { severity: 'error', text: 'is a version range' }],
    ['numpy~=1.26.0', { severity: 'error', text: 'is a version range' }],
    ['numpy<2', { severity: 'error', text: 'is a version range' }],
    ['numpy!=1.0.0', { severity: 'error', text: 'is a version range' }],
    ['numpy==1.26.4 ; python_version<"3.11"', null],
    ['numpy ; python_version<"3.11"', { severity: 'error', text: 'has no version' }],
    ['numpy==1.26.4  # tested', null],
    ['numpy==1.26.4 --hash=sha256:abcdef', null],
    ['torch==2.1.0+cu118', null],
    ['--extra-index-url https://download.pytorch.org/whl/cu118', null],
    ['--index-url https://pypi.org/simple', null],
    ['-f https://example.com/wheels/', null],
    ['--find-links=https://example.com/wheels/', null],
    [`git+https://github.com/org/repo@${SHA}`, null],
    [`pkg @ git+https://github.com/org/repo.git@${SHA}#egg=pkg`, null],
    ['git+https://github.com/org/repo@v1.2.3', { severity: 'error', text: 'pin the full 40-character commit' }],
    ['git+https://github.com/org/repo@abc1234', { severity: 'error', text: 'pin the full 40-character commit' }],
    ['git+https://github.com/org/repo.git', { severity: 'error', text: 'names no commit' }],
    ['pkg @ git+ssh://git@github.com/org/repo.git@main', { severity: 'error', text: 'names "main"' }],
    ['https://example.com/pkg-1.0.0-py3-none-any.whl', { severity: 'warning', text: 'pinned by file name only' }],
    [`https://example.com/pkg-1.0.0-py3-none-any.whl#sha256=${'a'.repeat(64)}`, null],
    ['https://example.com/download', { severity: 'error', text: 'a URL whose content can change' }],
    ['-e .', { severity: 'error', rule: 'env/local-path-dependency', text: 'is an editable install' }],
    ['--editable ./pkg', { severity: 'error', rule: 'env/local-path-dependency', text: 'is an editable install' }],
    [
      `-e git+https://github.com/org/repo@${SHA}#egg=repo`,
      { severity: 'error', rule: 'env/local-path-dependency', text: 'is an editable install' },
    ],
    ['./pkg', { severity: 'error', rule: 'env/local-path-dependency', text: 'is a local path' }],
    ['../shared/lib', { severity: 'error', rule: 'env/local-path-dependency', text: 'is a local path' }],
    [
      '/opt/wheels/pkg-1.0.0-py3-none-any.whl',
      { severity: 'error', rule: 'env/local-path-dependency', text: 'is a local path' },
    ],
    ['dist/pkg-1.0.0.tar.gz', { severity: 'error', rule: 'env/local-path-dependency', text: 'is a local path' }],
    ['file:///abs/pkg', { severity: 'error', rule: 'env/local-path-dependency', text: 'is a local path' }],
    ['git+file:///repos/pkg', { severity: 'error', rule: 'env/local-path-dependency', text: 'is a local path' }],
    ['pkg @ file:///abs/pkg', { severity: 'error', rule: 'env/local-path-dependency', text: 'pin it (pkg==<x.y.z>)' }],
  ];
  it.each(cases)('%s', (entry, expected) => {
    const env = parseConda(withPip(entry), '/virtual');
    const findings = dependencyFindings(env.dependencies);
    if (expected === null) return expect(findings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: expected.rule ?? 'env/unpinned-package',
      severity: expected.severity,
      file: 'azureml/environments/conda.yml',
      line: 6,
    });
    expect(findings[0]!.message).toContain(expected.text);
  });
});

describe('requirements files', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tfaml-conda-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'azureml/environments/req'), { recursive: true });
  writeFileSync(
    path.join(root, 'azureml/environments/requirements.txt'),
    [
      '# pinned set',
      'numpy==1.26.4',
      'pandas>=2.0',
      '--extra-index-url https://example.com/simple',
      '-r req/more.txt',
      'scipy==1.11.4 \\',
      '    --hash=sha256:abc',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(root, 'azureml/environments/req/more.txt'), 'requests\n-r ../requirements.txt\n');

  it('reads -r files relative to the conda file and reports at their lines', () => {
    const doc = conda(
      'dependencies:\n  - python=3.10.14\n  - pip:\n      - -r requirements.txt\n',
      'azureml/environments/conda.yml',
      root,
    );
    const env = parseConda(doc, root);
    expect(env.includes).toEqual([
      {
        file: 'azureml/environments/requirements.txt',
        location: { file: 'azureml/environments/conda.yml', line: 4, column: 9 },
        text: '-r requirements.txt',
      },
    ]);
    const findings = dependencyFindings(env.dependencies).map((f) => [
      f.file,
      f.line,
      f.severity,
      f.message.split(' ')[0],
    ]);
    expect(findings).toEqual([
      ['azureml/environments/requirements.txt', 3, 'error', '"pandas>=2.0"'],
      ['azureml/environments/req/more.txt', 1, 'error', '"requests"'],
    ]);
    expect(env.dependencies.map((d) => d.name)).toEqual(['python', 'numpy', 'pandas', 'requests', 'scipy']);
  });

  it('a missing -r file is a ConfigurationError at the conda line', () => {
    const doc = conda(
      'dependencies:\n  - pip:\n      - numpy\n      - -r missing.txt\n',
      'azureml/environments/conda.yml',
      root,
    );
    let err: unknown;
    try {
      parseConda(doc, root);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).location).toEqual({
      file: 'azureml/environments/conda.yml',
      line: 4,
      column: 9,
    });
    expect((err as ConfigurationError).message).toContain('azureml/environments/missing.txt does not exist');
  });

  it('joins continuation lines and reports at the first', () => {
    const deps = parseRequirementsText('r.txt', 'numpy \\\n  ==1.26.4\npandas\n', { root, errors: [] });
    expect(deps.map((d) => [d.name, d.spec, d.location.line])).toEqual([
      ['numpy', '==1.26.4', 1],
      ['pandas', '', 3],
    ]);
  });
});
