/**
 * Install like any tool: the tarball `npm pack` makes installs into a fresh project with nothing else (the bundle in
 * dist/ carries every dependency, so the package declares none and installs offline), and its `tfaml` bin runs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

describe('the packed package', () => {
  it('declares no runtime dependencies: dist/ is self-contained', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('installs offline into a scratch project with npm i -D ./tfaml-x.y.z.tgz, and npx tfaml runs a verb', () => {
    const packs = tempDir('tfaml-pack-');
    const packed = npm(['pack', '--pack-destination', packs], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = readdirSync(packs).find((f) => f.endsWith('.tgz'))!;
    expect(tarball).toBe(`tfaml-${pkg.version}.tgz`);

    const scratch = tempDir('tfaml-scratch-');
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    const installed = npm(['install', '-D', '--offline', '--ignore-scripts', path.join(packs, tarball)], scratch);
    expect(installed.status, installed.stderr).toBe(0);

    const version = spawnSync('npx', ['--no-install', 'tfaml', '--version'], { cwd: scratch, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(pkg.version);

    cpSync(EXAMPLES, path.join(scratch, 'ml'), {
      recursive: true,
      filter: (s) => !s.split(path.sep).includes('.tfaml'),
    });
    const validate = spawnSync('npx', ['--no-install', 'tfaml', 'validate', '--config', 'ml/tfaml.yml'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(validate.stdout).toMatch(/tfaml validate: flowers-classifier/);

    // init finds the workflow templates inside the installed package.
    cpSync(path.join(EXAMPLES, 'azureml'), path.join(scratch, 'repo', 'azureml'), { recursive: true });
    const init = spawnSync('npx', ['--no-install', 'tfaml', 'init', '--dir', 'repo', '--branch', 'main'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(init.status, init.stderr).toBe(0);
    expect(readdirSync(path.join(scratch, 'repo', '.github', 'workflows')).sort()).toEqual([
      'tfaml-audit.yml',
      'tfaml-main.yml',
      'tfaml-pull-request.yml',
      'tfaml-retrain.yml',
    ]);
  });
});
