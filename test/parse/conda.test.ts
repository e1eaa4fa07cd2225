import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceDoc } from '../../src/config/source.js';
import { parseConda } from '../../src/parse/conda.js';

// What the conda environment parser reads; whether it is pinned enough is test/checks/conda.test.ts.

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

describe('conda environment files', () => {
  it('reads channel, name, version and build string', () => {
    const [d] = parseConda(withConda('conda-forge::numpy=1.26.4=py310hb13e2d6_0'), '/virtual').dependencies;
    expect(d).toMatchObject({
      manager: 'conda',
      channel: 'conda-forge',
      name: 'numpy',
      version: '1.26.4',
      build: 'py310hb13e2d6_0',
      location: { line: 4, column: 5 },
    });
  });

  it('keeps extras, markers and the manager', () => {
    const deps = parseConda(withPip('tensorflow[and-cuda]==2.15.0; python_version<"3.12"'), '/virtual').dependencies;
    expect(deps[1]).toMatchObject({
      manager: 'pip',
      name: 'tensorflow',
      key: 'tensorflow',
      extras: ['and-cuda'],
      version: '2.15.0',
      constraint: 'exact',
      marker: 'python_version<"3.12"',
    });
  });

  it('ignores a conda file without dependencies', () => {
    expect(parseConda(conda('name: empty\n'), '/virtual').dependencies).toEqual([]);
  });
});
