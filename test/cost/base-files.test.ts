import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBaseFiles } from '../../src/adapters/local/git.js';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { copyExample, patch } from '../helpers/project.js';

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });
}

describe('the project at a base ref, through the same loaders', () => {
  it('reads tfaml.yml and the Azure ML YAML as committed, not as in the working tree; ignored data comes from the tree', () => {
    const dir = copyExample();
    writeFileSync(path.join(dir, '.gitignore'), 'data/\n');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3', 'size: Standard_NC24s_v3');
    patch(dir, 'tfaml.yml', 'region: eastus', 'region: westeurope');

    const files = openBaseFiles(dir, 'main');
    const base = loadProject(loadConfig(path.join(dir, 'tfaml.yml'), { files }));
    expect(base.compute[0]!.size).toBe('Standard_NC6s_v3');
    expect(base.config.cost!.region).toBe('eastus');
    const head = loadProject(loadConfig(path.join(dir, 'tfaml.yml')));
    expect(head.compute[0]!.size).toBe('Standard_NC24s_v3');

    expect(files.isDirectory(path.join(dir, 'data/flowers'))).toBe(true); // ignored, so from the working tree
    expect(files.isDirectory(path.join(dir, 'azureml'))).toBe(true);
    expect(files.exists(path.join(dir, 'nope.yml'))).toBe(false);
    expect(files.exists(path.join(dir, '..', 'outside.yml'))).toBe(false);
  });

  it("a file added after the base is missing there, with the loader's usual error", () => {
    const dir = copyExample();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    writeFileSync(
      path.join(dir, 'azureml/endpoints/green.yml'),
      'name: green\nendpoint_name: flowers\ninstance_type: Standard_DS3_v2\n',
    );
    patch(
      dir,
      'tfaml.yml',
      '  - path: azureml/endpoints/blue.yml',
      '  - path: azureml/endpoints/blue.yml\n  - path: azureml/endpoints/green.yml',
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'green');
    // HEAD~1 has the old tfaml.yml: loads. A ref whose tfaml.yml lists green.yml but lacks it fails as on disk.
    expect(
      loadProject(loadConfig(path.join(dir, 'tfaml.yml'), { files: openBaseFiles(dir, 'HEAD~1') })).endpoints,
    ).toHaveLength(1);
    git(dir, 'rm', '-q', 'azureml/endpoints/green.yml');
    git(dir, 'commit', '-qm', 'drop green');
    expect(() => loadConfig(path.join(dir, 'tfaml.yml'), { files: openBaseFiles(dir, 'HEAD') })).toThrow(
      ConfigurationError,
    );
    expect(() => loadConfig(path.join(dir, 'tfaml.yml'), { files: openBaseFiles(dir, 'HEAD') })).toThrow(
      /endpoints\[1\]\.path: azureml\/endpoints\/green.yml does not exist/,
    );
  });
});
