/**
 * Secrets audit (issue 11, item 7): the bundle run as users run it, with known secret values in its environment (an
 * Azure client secret, the runner's OIDC request token and its runtime access token, a GitHub token, a storage
 * account key and a SAS), through every verb that runs here without Azure: validate (with a finding, so there are
 * annotations), lock, cost (posting to the local GitHub API), train (local, wasm, the local hub) and promote. Every
 * byte written is captured: stdout, stderr, the job summary, GITHUB_OUTPUT and the other runner files, the pull
 * request comment, and every file under the projects, the runner's temp folder and the model cache. None may hold
 * a secret, in plain, URL-encoded or base64 form.
 *
 * The one exception is `::add-mask::<secret>` on the runner's stdout: that line is how a secret is masked, and the
 * runner consumes it. It is allowed only on a runner, and only before any other appearance of that value in the log
 * (checked too, though with no other appearance at all it holds trivially). Off a runner, the CLI has no log to
 * mask, so an add-mask line would itself print the secret: none is allowed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';
import { startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { copyExample, patch, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const ACTION = path.join(ROOT, 'dist/index.js');

const SAS_SIG = 'Zx9%2BsasSig%2Fk3yValue0123456789abcDEF%3D';
const STORAGE_KEY = 'st0rageK3y+AccountKey/0123456789abcdefghijKLMNOPQRSTuv==';
const SECRETS: Record<string, string> = {
  'Azure client secret': 'Xq8~azcs.Cl1entSecretValue_0b5f2e9a7c',
  'OIDC request token': 'oidcReq.eyJ0eXAiOiJKV1QifQ.c2VjcmV0LW9pZGMtcmVxdWVzdA',
  'runner access token': 'eyJhbGciOiJSUzI1NiJ9.cnVudGltZS1hY2Nlc3M.c2lnbmF0dXJlLTAx',
  'GitHub token': 'ghs_s3cr3tGitHubTokenValue0123456789abcdEF',
  'storage key': STORAGE_KEY,
  'SAS signature': SAS_SIG,
};

function secretEnv(): NodeJS.ProcessEnv {
  return {
    AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000c1',
    AZURE_TENANT_ID: '00000000-0000-0000-0000-0000000000d1',
    AZURE_CLIENT_SECRET: SECRETS['Azure client secret'],
    // Nothing listens there: no verb run here may ask for an ID token.
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/_apis/idtoken',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: SECRETS['OIDC request token'],
    ACTIONS_RUNTIME_TOKEN: SECRETS['runner access token'],
    GITHUB_TOKEN: SECRETS['GitHub token'],
    AZURE_STORAGE_KEY: STORAGE_KEY,
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`,
    TFAML_BLOB_URL: `https://acct.blob.core.windows.net/models?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2030-01-01T00:00:00Z&sig=${SAS_SIG}`,
  };
}

/** Each secret in the forms it could leak in. */
const NEEDLES: [string, string][] = Object.entries(SECRETS).flatMap(([name, v]) =>
  [...new Set([v, encodeURIComponent(v), decodeURIComponent(v), Buffer.from(v).toString('base64')])].map(
    (n) => [name, n] as [string, string],
  ),
);

interface Written {
  where: string;
  bytes: Buffer;
  /** stdout of a process on a runner: add-mask lines are the runner's, checked apart. */
  runnerLog?: boolean;
  /** stdout/stderr off a runner: no add-mask line allowed. */
  cliLog?: boolean;
}

const written: Written[] = [];
let hub: HubServer;
let gh: GitHubServer;
let cache: string;
const roots: string[] = [];
beforeAll(async () => {
  hub = await startStandardHub();
  gh = await startGitHubServer({ pulls: { 7: {} } });
  cache = tempDir('tfaml-cache-');
  roots.push(cache);
});
afterAll(async () => {
  await hub.close();
  await gh.close();
});

function node(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, args, { cwd, env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    c.stdout.on('data', (d: Buffer) => out.push(d));
    c.stderr.on('data', (d: Buffer) => err.push(d));
    c.on('close', (code) => {
      const label = `${path.basename(args[0]!)} ${args.slice(1).join(' ') || env.INPUT_COMMAND}`;
      const onRunner = env.GITHUB_ACTIONS === 'true';
      written.push({ where: `stdout of ${label}`, bytes: Buffer.concat(out), runnerLog: onRunner, cliLog: !onRunner });
      written.push({ where: `stderr of ${label}`, bytes: Buffer.concat(err), runnerLog: onRunner, cliLog: !onRunner });
      resolve({ code });
    });
  });
}

function baseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    TFAML_HUB_URL: hub.url,
    TFAML_CACHE_DIR: cache,
    GIT_CEILING_DIRECTORIES: path.dirname(tempDir()),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_REPOSITORY: gh.repo,
    GITHUB_API_URL: gh.url,
    ...secretEnv(),
  };
}

/** One action step as the runner runs it: fresh runner files, inputs as INPUT_*. */
async function step(workspace: string, runner: string, inputs: Record<string, string>, event = 'pull_request') {
  const files = ['output', 'summary', 'env', 'state', 'path'].map((f) => path.join(tempDir('tfaml-step-'), f));
  roots.push(...files.map((f) => path.dirname(f)));
  for (const f of files) writeFileSync(f, '');
  const eventFile = path.join(runner, 'event.json');
  writeFileSync(
    eventFile,
    JSON.stringify({
      pull_request: { number: 7, head: { repo: { full_name: gh.repo } }, base: { repo: { full_name: gh.repo } } },
    }),
  );
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventFile,
    RUNNER_TEMP: runner,
    GITHUB_OUTPUT: files[0],
    GITHUB_STEP_SUMMARY: files[1],
    GITHUB_ENV: files[2],
    GITHUB_STATE: files[3],
    GITHUB_PATH: files[4],
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return node([ACTION], workspace, env);
}

function walk(dir: string, into: Written[]) {
  if (!existsSync(dir)) return;
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, rel);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile()) into.push({ where: p, bytes: readFileSync(p) });
  }
}

/** Every leak in what was written: [where, which secret, the line or a snippet]. */
function leaks(): string[] {
  const found: string[] = [];
  const all: Written[] = [...written];
  for (const r of roots) walk(r, all);
  // What reached GitHub in a body (the comment, its edits); the token in the Authorization header is GitHub's to see.
  for (const w of gh.writes) all.push({ where: `GitHub ${w.method} ${w.url}`, bytes: Buffer.from(w.body) });
  for (const c of gh.pulls.get(7)!.comments) all.push({ where: 'the PR comment', bytes: Buffer.from(c.body) });
  for (const q of gh.requests) all.push({ where: `GitHub request ${q.method} ${q.url}`, bytes: Buffer.from(q.url) });
  for (const w of all) {
    if (w.runnerLog || w.cliLog) {
      const lines = w.bytes.toString('utf8').split('\n');
      for (const [name, needle] of NEEDLES) {
        const mask = lines.findIndex((l) => l === `::add-mask::${needle}`);
        const other = lines.findIndex((l) => l.includes(needle) && l !== `::add-mask::${needle}`);
        if (mask >= 0 && w.cliLog) found.push(`${w.where}: prints ::add-mask:: for the ${name} off a runner`);
        if (other >= 0)
          found.push(
            `${w.where}: the ${name}${mask >= 0 && mask < other ? ' (masked before, still printed)' : ''}: ${lines[other]!.slice(0, 200)}`,
          );
      }
      continue;
    }
    for (const [name, needle] of NEEDLES) {
      const at = w.bytes.indexOf(needle);
      if (at >= 0)
        found.push(
          `${w.where}: the ${name}: …${w.bytes.subarray(Math.max(0, at - 60), at + needle.length + 20).toString('utf8')}…`,
        );
    }
  }
  return found;
}

describe('no secret leaves tfaml', () => {
  it('the audit itself finds a planted secret in a file, in base64, and in a log line after its add-mask', () => {
    const dir = tempDir('tfaml-plant-');
    writeFileSync(path.join(dir, 'a.json'), `{"k":"${Buffer.from(STORAGE_KEY).toString('base64')}"}`);
    const log = `::add-mask::${SAS_SIG}\nupload to ?sig=${SAS_SIG}\n`;
    roots.push(dir);
    written.push({ where: 'planted log', bytes: Buffer.from(log), runnerLog: true });
    expect(leaks()).toEqual([
      'planted log: the SAS signature (masked before, still printed): upload to ?sig=' + SAS_SIG,
      expect.stringMatching(/a\.json: the storage key: /),
    ]);
    written.length = 0;
    roots.pop();
  });

  it('on a runner (dist/index.js): validate, lock, cost posting to GitHub, train, promote', async () => {
    const workspace = copyExample();
    const broken = copyExample();
    patch(broken, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 2');
    const runner = tempDir('tfaml-runner-');
    roots.push(workspace, broken, runner);
    expect((await step(broken, runner, { command: 'validate', config: 'tfaml.yml' })).code).toBe(1);
    expect((await step(workspace, runner, { command: 'validate', config: 'tfaml.yml' })).code).toBe(0);
    expect((await step(workspace, runner, { command: 'lock', config: 'tfaml.yml' })).code).toBe(0);
    const cost = await step(workspace, runner, {
      command: 'cost',
      config: 'tfaml.yml',
      prices: 'snapshot',
      'github-token': SECRETS['GitHub token']!,
      'post-comment': 'true',
    });
    expect(cost.code).toBe(0);
    expect(gh.pulls.get(7)!.comments).toHaveLength(1);
    expect((await step(workspace, runner, { command: 'train', config: 'tfaml.yml', backend: 'wasm' })).code).toBe(0);
    // Promoted or rejected by the gates, depending on what this training reached: either way it reports.
    expect([0, 1]).toContain((await step(workspace, runner, { command: 'promote', config: 'tfaml.yml' }, 'push')).code);
    // The token cost reads was masked the moment it was read, before the comment was posted.
    const costLog = written.find((w) => w.where === 'stdout of index.js cost')!.bytes.toString('utf8');
    expect(costLog.split('\n')).toContain(`::add-mask::${SECRETS['GitHub token']}`);
    expect(leaks()).toEqual([]);
  }, 180_000);

  it('as a CLI (dist/cli.js): the same verbs, the token as a flag', async () => {
    written.length = 0;
    const dir = copyExample();
    const broken = copyExample();
    patch(broken, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 2');
    roots.push(dir, broken);
    const env = baseEnv();
    expect((await node([CLI, 'validate'], broken, env)).code).toBe(1);
    expect((await node([CLI, 'validate'], dir, env)).code).toBe(0);
    expect((await node([CLI, 'lock'], dir, env)).code).toBe(0);
    const token = SECRETS['GitHub token']!;
    const args = ['cost', '--prices', 'snapshot', '--github-token', token, '--pr-number', '7', '--post-comment'];
    expect((await node([CLI, ...args], dir, env)).code).toBe(0);
    expect((await node([CLI, 'train', '--backend', 'wasm'], dir, env)).code).toBe(0);
    expect([0, 1]).toContain((await node([CLI, 'promote'], dir, env)).code);
    expect(leaks()).toEqual([]);
  }, 180_000);
});
