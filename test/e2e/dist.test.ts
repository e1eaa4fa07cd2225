/**
 * The bundle exactly as users run it: `node dist/cli.js` (package.json's bin) and `node dist/index.js` with the
 * environment a runner gives an action step (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE).
 * CI rebuilds dist/ and fails on any difference, so these test the sources too.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, copyExample, patch, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const ACTION = path.join(ROOT, 'dist/index.js');

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function action(inputs: Record<string, string>, workspace: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const dir = tempDir('tfaml-runner-');
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: dir,
  };
  Object.assign(env, extraEnv);
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [ACTION], { cwd: workspace, encoding: 'utf8', env });
  // GITHUB_OUTPUT holds name<<delimiter\nvalue\ndelimiter blocks.
  const outputs: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const m of readFileSync(outputFile, 'utf8').matchAll(re)) outputs[m[1]!] = m[3]!;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(summaryFile, 'utf8') };
}

describe('the bundle', () => {
  // Each verb's chunk loads only when that verb runs, so a chunk that cannot load hides until a user reaches it.
  it('every chunk in dist/ loads', () => {
    const chunks = readdirSync(path.join(ROOT, 'dist/chunks')).filter((f) => f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(10);
    const script = `for (const f of ${JSON.stringify(chunks)}) await import('./dist/chunks/' + f).catch((e) => { console.error(f + ': ' + e.message); process.exitCode = 1; });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});

describe('the CLI (dist/cli.js)', () => {
  it('validates the example clean, exit 0', () => {
    const r = cli(['validate', '--config', path.join(EXAMPLES, 'tfaml.yml')]);
    expect(r.stdout).toMatch(/✔ no findings in 6 files/);
    expect(r.code).toBe(0);
  });

  it('exits 1 on error findings and prints one JSON document with --format json', () => {
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 2');
    const r = cli(['validate', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings).toEqual([
      {
        rule: 'compute/not-ephemeral',
        severity: 'error',
        file: 'azureml/compute/gpu-cluster.yml',
        line: 5,
        column: 16,
        source: 'files',
        message: expect.stringMatching(/^min_instances is 2/),
      },
    ]);
    expect(doc.summary).toMatchObject({ errors: 1, warnings: 0, suppressed: 0, files: 6 });
  });

  it('exits 2 on a bad config with file:line:column and no stack trace', () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'seed: 42', 'sead: 42');
    const r = cli(['validate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tfaml: tfaml.yml:43:3: unknown key `sead` in train; did you mean `seed`?\n');
    expect(r.stdout).toBe('');
  });

  it('exits 2 on an unknown command or flag, suggesting the nearest', () => {
    const a = cli(['valdate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(
      /^tfaml: unknown command "valdate" \(did you mean validate\?\); use one of validate, lock/,
    );
    const b = cli(['validate', '--confg', 'x.yml']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(
      /^tfaml: validate: Unknown option '--confg' \(did you mean --config\?\); its flags are --config, --format, --base, --update-lock/,
    );
    const c = cli(['validate', '--format', 'xml', '--config', path.join(EXAMPLES, 'tfaml.yml')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/input format is "xml"; it must be one of text, json/);
  });

  it('prints usage with the verbs and the exit codes', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/validate +check environments/);
    expect(r.stdout).toMatch(/Exit codes: 0 success, 1 negative verdict/);
  });

  it('lock writes tfaml.lock atomically and leaves no temporary file', () => {
    const dir = copyExample();
    const r = cli(['lock'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tfaml\.lock (written|unchanged): 1 environments, 1 data assets, 1 models/);
    const files = spawnSync('ls', ['-a', dir], { encoding: 'utf8' }).stdout;
    expect(files).not.toMatch(/\.tmp/);
  });
});

/** dist/ copied into a fresh world-readable folder (with the package.json that makes its .js files ES modules). */
function readableCopyOfDist(): string {
  const root = tempDir('tfaml-dist-');
  cpSync(path.dirname(CLI), path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  spawnSync('chmod', ['-R', 'a+rX', root]);
  return path.join(root, 'dist', path.basename(CLI));
}

describe('unreadable data', () => {
  // Root reads everything, so as root (CI, here) the CLI runs as `nobody` through setpriv.
  it('an unreadable file in the data folder is exit 2 naming the path, and no lockfile is written', () => {
    const dir = copyExample();
    spawnSync('rm', [path.join(dir, 'tfaml.lock')]);
    spawnSync('chmod', ['-R', 'a+rwX', dir]);
    chmodSync(dir, 0o777);
    chmodSync(path.join(dir, 'data/flowers/tulips/tulips-03.png'), 0o000);
    const asRoot = process.getuid?.() === 0;
    const asNobody = asRoot ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'] : [];
    // `nobody` may not be able to reach the checkout (a clone under a 0700 folder, a home directory): it runs a copy
    // of the bundle from a folder it can read, as an installed tfaml would be.
    const cli = asRoot ? readableCopyOfDist() : CLI;
    const [cmd, ...args] = [...asNobody, process.execPath, cli, 'lock'];
    const r = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe(
      'tfaml: tfaml.yml:13:12: data[0].local data/flowers: cannot read file data/flowers/tulips/tulips-03.png: permission denied; fix its permissions (e.g. chmod u+r) so that tfaml can read it\n',
    );
    expect(r.status).toBe(2);
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).not.toContain('tfaml.lock');
  });
});

describe('the action (dist/index.js) as a runner runs it', () => {
  it('annotates findings at their path from the workspace, writes the summary and the outputs, fails the step', () => {
    const workspace = tempDir('tfaml-ws-');
    const dir = path.join(workspace, 'ml');
    spawnSync('cp', ['-r', copyExample(), dir]);
    patch(dir, 'azureml/jobs/train.yml', 'azureml:flowers:1', 'azureml:flowers@latest');
    const r = action({ command: 'validate', config: 'ml/tfaml.yml' }, workspace);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error title=data/floating-version,file=ml/azureml/jobs/train.yml,line=12,col=11::input "data" uses "azureml:flowers@latest"',
    );
    expect(r.stdout).toContain('::error::tfaml: the verdict is negative; see the annotations and the job summary');
    expect(r.outputs.errors).toBe('1');
    expect(r.outputs.warnings).toBe('0');
    expect(JSON.parse(r.outputs['report-json']!).findings[0].rule).toBe('data/floating-version');
    expect(r.summary).toMatch(/### tfaml validate: ❌ 1 error, 0 warnings in 6 files/);
    expect(r.summary).toMatch(/\| ❌ error \| `data\/floating-version` \| `azureml\/jobs\/train\.yml:12` \|/);
  });

  it('an unusable config is annotated at its file and line from the workspace, exit 2', () => {
    const workspace = tempDir('tfaml-ws-');
    spawnSync('cp', ['-r', copyExample(), path.join(workspace, 'ml')]);
    patch(path.join(workspace, 'ml'), 'tfaml.yml', 'epochs: 5', 'epochs: many');
    const r = action({ command: 'validate', config: 'ml/tfaml.yml' }, workspace);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      '::error title=tfaml%3A unusable input,file=ml/tfaml.yml,line=39,col=11::train.epochs is "many"; it must be an integer',
    );
    expect(r.stdout).toContain('::error::tfaml: the input cannot be used (1 problem annotated above)');
  });

  it('an event the verb does not support exits 2 naming the events it supports', () => {
    const workspace = copyExample();
    const r = action({ command: 'promote' }, workspace, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      '::error::promote does not run on pull_request events; it supports push, workflow_dispatch. Run it from a workflow triggered by one of those',
    );
    expect(spawnSync('ls', ['-a', path.join(workspace, '.tfaml')], { encoding: 'utf8' }).stdout).not.toContain(
      'production',
    );
  });

  it("the train action's if: cancelled() step is harmless for a project that trains on the runner", () => {
    const workspace = copyExample();
    const r = action({ command: 'train', cancel: 'true' }, workspace, {
      GITHUB_RUN_ID: '42',
      GITHUB_EVENT_NAME: 'push',
    });
    expect(r.stdout).toContain(
      'nothing to cancel in Azure: this project trains on the runner (train.target is not azure)',
    );
    expect(r.code).toBe(0);
  });

  it('a missing or unknown command exits 2 naming the input', () => {
    const workspace = copyExample();
    const a = action({}, workspace);
    expect(a.code).toBe(2);
    expect(a.stdout).toContain('::error::no command given; use one of validate, lock');
    const b = action({ command: 'promot' }, workspace);
    expect(b.code).toBe(2);
    expect(b.stdout).toContain('::error::unknown command "promot"');
  });
});
