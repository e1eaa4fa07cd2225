/**
 * `tfaml` as package.json's bin runs it (dist/tfaml.cjs): validate from its own bundle through the compile cache,
 * anything else, and a validate that needs more than that bundle holds, through the full CLI (dist/cli.js). Whichever
 * way a command line goes, what the user sees is what the full CLI prints: each case here runs both and compares.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, copyExample, patch, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: { tfaml: string } };
const BIN = path.join(ROOT, pkg.bin.tfaml);
const FULL = path.join(ROOT, 'dist/cli.js');
/** util-linux's script(1) gives a command a terminal. */
const HAS_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function run(entry: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [entry, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', NODE_COMPILE_CACHE: tempDir('tfaml-cc-'), ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command line through the bin and through the full CLI: the same exit code, stdout and stderr. */
function same(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const bin = run(BIN, args, opts);
  expect(bin).toEqual(run(FULL, args, opts));
  return bin;
}

describe('tfaml (the bin) prints what the full CLI prints', () => {
  it('is dist/tfaml.cjs, a CommonJS file Node runs directly', () => {
    expect(pkg.bin.tfaml).toBe('dist/tfaml.cjs');
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('validate: clean, with error findings (exit 1), as JSON, on a bad config (exit 2)', () => {
    expect(same(['validate', '--config', path.join(EXAMPLES, 'tfaml.yml')]).stdout).toMatch(/✔ no findings/);
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 2');
    expect(same(['validate'], { cwd: dir }).code).toBe(1);
    expect(JSON.parse(same(['validate', '--format', 'json'], { cwd: dir }).stdout).findings[0].rule).toBe(
      'compute/not-ephemeral',
    );
    patch(dir, 'tfaml.yml', 'seed: 42', 'sead: 42');
    expect(same(['validate'], { cwd: dir }).stderr).toMatch(/^tfaml: tfaml\.yml:\d+:3: unknown key `sead`/);
  });

  it('validate: --help, an unknown flag, a bad value, --update-lock', () => {
    expect(same(['validate', '--help']).stdout).toMatch(/^usage: tfaml validate \[flags\]/);
    expect(same(['validate', '--confg', 'x.yml']).code).toBe(2);
    expect(same(['validate', '--format', 'xml', '--config', path.join(EXAMPLES, 'tfaml.yml')]).code).toBe(2);
    const dir = copyExample();
    const lock = readFileSync(path.join(dir, 'tfaml.lock'), 'utf8');
    expect(same(['validate', '--update-lock'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8')).toBe(lock);
  });

  it('validate --base: git through the bundle, the same comparison and the same unknown-ref error', () => {
    const dir = copyExample();
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    patch(dir, 'azureml/environments/tf-gpu.yml', /^image: .*$/m, 'image: mcr.microsoft.com/azureml/other:1');
    const changed = same(['validate', '--base', 'HEAD'], { cwd: dir });
    expect(changed.stdout).toContain('env/version-not-bumped');
    expect(changed.code).toBe(1);
    expect(same(['validate', '--base', 'no-such-ref'], { cwd: dir }).stderr).toMatch(
      /is not a commit in this repository/,
    );
  });

  it('validate with a workspace hands off to the full CLI, which loads the Azure adapter', () => {
    const dir = copyExample();
    patch(
      dir,
      'tfaml.yml',
      /^owners:/m,
      'workspace:\n  subscription-id: 00000000-0000-0000-0000-000000000000\n  resource-group: rg\n  name: ws\nowners:',
    );
    const env = { AZURE_TENANT_ID: '', AZURE_CLIENT_ID: '', AZURE_CLIENT_SECRET: '' };
    const r = same(['validate', '--auth', 'client-secret'], { cwd: dir, env });
    expect(r.stderr).toBe(
      'tfaml: auth client-secret needs AZURE_TENANT_ID and AZURE_CLIENT_ID and AZURE_CLIENT_SECRET in the environment\n',
    );
    expect(r.code).toBe(2);
  });

  it('validate on a runner hands off to the full CLI, which installs the runner services', () => {
    const dir = copyExample();
    const output = path.join(tempDir(), 'output');
    writeFileSync(output, '');
    patch(dir, 'azureml/jobs/train.yml', 'azureml:flowers:1', 'azureml:flowers@latest');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, GITHUB_WORKSPACE: dir };
    const r = same(['validate'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('data/floating-version');
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal: the same colours (through script(1), where it is installed)', () => {
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 2');
    const onTerminal = (entry: string) =>
      spawnSync('script', ['-qec', `"${process.execPath}" "${entry}" validate`, '/dev/null'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '', GITHUB_ACTIONS: '' },
      }).stdout;
    const bin = onTerminal(BIN);
    expect(bin).toContain('\u001b[');
    expect(bin).toBe(onTerminal(FULL));
  });

  it('a reader that goes away early (EPIPE) ends the output quietly, with validate’s exit code', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        'set -o pipefail; "$0" "$1" validate --config "$2" | true',
        process.execPath,
        BIN,
        path.join(EXAMPLES, 'tfaml.yml'),
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('every other verb goes to the full CLI', () => {
    expect(same(['--version']).stdout).toBe(
      `${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`,
    );
    expect(same(['--help']).stdout).toMatch(/^usage: tfaml <command>/);
    expect(same(['valdate']).stderr).toMatch(/did you mean validate/);
    expect(same(['lock', '--help']).stdout).toMatch(/^usage: tfaml lock/);
  });
});

describe('the compile cache (src/entries/compile-cache.ts) as the bin uses it', () => {
  const example = ['validate', '--config', path.join(EXAMPLES, 'tfaml.yml')];

  it('the first validate writes it, the next one uses it as it is', () => {
    const cache = path.join(tempDir(), 'compile cache ü');
    expect(run(BIN, example, { env: { NODE_COMPILE_CACHE: cache } }).code).toBe(0);
    const [entry, ...more] = readdirSync(cache);
    expect(more).toEqual([]);
    expect(entry).toMatch(/^validate\.cjs-[0-9a-f]{32}-\d+-\d+-v[\d.]+-\w+\.v8$/);
    expect(statSync(cache).mode & 0o077).toBe(0);
    const first = statSync(path.join(cache, entry!));
    expect(first.size).toBeGreaterThan(100_000);
    // Accepted by V8, an entry is not written again.
    expect(run(BIN, example, { env: { NODE_COMPILE_CACHE: cache } }).code).toBe(0);
    expect(statSync(path.join(cache, entry!)).mtimeMs).toBe(first.mtimeMs);
  });

  it('the entry of --help is replaced by the first validate that does its work', () => {
    const cache = path.join(tempDir(), 'cc');
    expect(run(BIN, ['validate', '--help'], { env: { NODE_COMPILE_CACHE: cache } }).code).toBe(0);
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/\.partial\.v8$/)]);
    expect(run(BIN, example, { env: { NODE_COMPILE_CACHE: cache } }).code).toBe(0);
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/-x64\.v8$|-arm64\.v8$|\d\.v8$/)]);
    expect(readdirSync(cache)[0]).not.toMatch(/partial/);
  });

  it('an entry V8 refuses is written anew; a folder others may write to is not used', () => {
    const cache = path.join(tempDir(), 'cc');
    run(BIN, example, { env: { NODE_COMPILE_CACHE: cache } });
    const entry = path.join(cache, readdirSync(cache)[0]!);
    writeFileSync(entry, 'not compiled code');
    expect(run(BIN, example, { env: { NODE_COMPILE_CACHE: cache } }).stdout).toMatch(/✔ no findings/);
    expect(statSync(entry).size).toBeGreaterThan(100_000);

    const shared = path.join(tempDir(), 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expect(run(BIN, example, { env: { NODE_COMPILE_CACHE: shared } }).stdout).toMatch(/✔ no findings/);
    expect(readdirSync(shared)).toEqual([]);
  });

  it('NODE_DISABLE_COMPILE_CACHE turns it off', () => {
    const cache = path.join(tempDir(), 'cc');
    const r = run(BIN, example, { env: { NODE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(r.code).toBe(0);
    expect(() => readdirSync(cache)).toThrow(/ENOENT/);
  });
});
