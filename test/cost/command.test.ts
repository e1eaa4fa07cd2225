/** The cost command end to end on a copy of examples/: real config loading, real git, real Octokit and price client against local fakes. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalRegistry } from '../../src/adapters/local/registry.js';
import { cost } from '../../src/commands/cost.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { describeFailure, runCli } from '../../src/entries/main.js';
import { TAGS } from '../../src/core/tags.js';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';
import { item, startPricesServer, type PricesServer } from '../fakes/prices-server.js';
import { capture, copyExample, inputs, patch, tempDir } from '../helpers/project.js';
import { expectGolden } from '../helpers/golden.js';

const MARK = '<!-- tfaml-cost: flowers-classifier -->';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function github(opts: Parameters<typeof startGitHubServer>[0] = {}): Promise<GitHubServer> {
  const gh = await startGitHubServer(opts);
  servers.push(gh);
  vi.stubEnv('GITHUB_REPOSITORY', gh.repo);
  vi.stubEnv('GITHUB_API_URL', gh.url);
  return gh;
}

function event(payload: unknown): void {
  const f = path.join(tempDir(), 'event.json');
  writeFileSync(f, JSON.stringify(payload));
  vi.stubEnv('GITHUB_EVENT_PATH', f);
}

const prEvent = (n: number, fork = false) => ({
  pull_request: {
    number: n,
    head: { repo: { full_name: fork ? 'someone/flowers' : 'acme/flowers' } },
    base: { repo: { full_name: 'acme/flowers' } },
  },
});

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });
}

/** The example as a git repository with one commit, the base. */
function repoExample(): string {
  const dir = copyExample();
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

const run = (dir: string, values: Record<string, string> = {}, mode: 'cli' | 'action' = 'cli') => {
  const out = capture(mode);
  return {
    out,
    done: cost(inputs({ config: path.join(dir, 'tfaml.yml'), prices: 'snapshot', ...values }), out, { mask: () => {} }),
  };
};

describe('cost on the example', () => {
  it('prints the markdown report from the snapshot, says so, and passes the budget', async () => {
    const dir = copyExample();
    const { out, done } = run(dir);
    expect(await done).toBe(0);
    expectGolden('cost', 'example-snapshot.md', out.stdout);
    expect(out.stdout).toContain('Prices from the offline snapshot');
    expect(out.stdout.startsWith(MARK)).toBe(true);
    expect(out.outputs).toMatchObject({ 'run-usd': '2.35', 'month-usd': '213.89', budget: 'within', 'change-usd': '' });
    expect(out.summaries).toEqual([out.stdout]);
  });

  it('prices through the Retail Prices API at TFAML_PRICES_URL, with no snapshot warning', async () => {
    const prices: PricesServer = await startPricesServer({
      items: [item('eastus', 'Standard_NC6s_v3', 3.06), item('eastus', 'Standard_DS3_v2', 0.293)],
      pageSize: 1,
    });
    servers.push(prices);
    vi.stubEnv('TFAML_PRICES_URL', prices.url);
    const dir = copyExample();
    const { out, done } = run(dir, { prices: 'auto' });
    expect(await done).toBe(0);
    expect(out.stdout).not.toContain('offline snapshot');
    expectGolden(
      'cost',
      'example-api.md',
      out.stdout
        .replace(prices.url, 'http://prices.test/api/retail/prices')
        .replace(/read \d{4}-\d\d-\d\d/, 'read <date>'),
    );
    expect(prices.requests.length).toBeGreaterThan(0);
  });

  it('--format json is one JSON document', async () => {
    const { out, done } = run(copyExample(), { format: 'json' });
    expect(await done).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.estimate).toMatchObject({
      project: 'flowers-classifier',
      region: 'eastus',
      currency: 'USD',
      run: { expected: 2.346 },
    });
    expect(doc.estimate.items.map((i: { key: string }) => i.key)).toEqual([
      'train',
      'startup',
      'idle',
      'endpoint:flowers/blue',
    ]);
    expect(doc.budget.verdict).toBe('within');
  });

  it('uses the durations of earlier runs in the experiment registry', async () => {
    const dir = copyExample();
    const reg = new LocalRegistry(path.join(dir, '.tfaml', 'experiment'), 'test');
    for (const [i, s] of [1200, 2400, 3600].entries()) {
      const files = tempDir();
      writeFileSync(path.join(files, 'model.json'), `{"v":${i}}`);
      await reg.create({
        name: 'flowers-classifier',
        files,
        metrics: {},
        tags: {
          [TAGS.durationSeconds]: String(s),
          [TAGS.target]: 'azure',
          [TAGS.instanceType]: 'Standard_NC6s_v3',
          [TAGS.instanceCount]: '1',
        },
      });
    }
    const { out, done } = run(dir, { format: 'json' });
    await done;
    const doc = JSON.parse(out.stdout);
    expect(doc.estimate.hours).toMatchObject({
      low: 0.3333,
      expected: 0.6667,
      high: 1,
      source: expect.stringMatching(/^the actual durations of 3 earlier runs on Azure Standard_NC6s_v3/),
    });

    const after = run(dir, { 'actual-from-registry': 'true' });
    await after.done;
    expect(after.out.stdout).toMatch(
      /### After training\n\nThe run from flowers-classifier version 3 in the experiment registry cost \*\*\$3\.57\*\*/,
    );
  });

  it('--history lists the recorded runs with estimated and actual cost (text and json); the actual of an Azure run is priced at its recorded price', async () => {
    const dir = copyExample();
    const reg = new LocalRegistry(path.join(dir, '.tfaml', 'experiment'), 'test');
    const runs: Record<string, string>[] = [
      { [TAGS.durationSeconds]: '14.2', [TAGS.target]: 'local' },
      {
        [TAGS.durationSeconds]: '1800',
        [TAGS.target]: 'azure',
        [TAGS.instanceType]: 'Standard_NC6s_v3',
        [TAGS.instanceCount]: '1',
        [TAGS.estimatedUsd]: '2.0000',
        [TAGS.actualUsd]: '2.5000',
        [TAGS.priceUsd]: '4',
      },
    ];
    for (const [i, tags] of runs.entries()) {
      const files = tempDir();
      writeFileSync(path.join(files, 'model.json'), `{"v":${i}}`);
      await reg.create({ name: 'flowers-classifier', files, metrics: {}, tags });
    }
    const text = run(dir, { history: 'true' });
    expect(await text.done).toBe(0);
    const lines = text.out.stdout.split('\n');
    expect(lines[0]).toMatch(/^## Cost history: flowers-classifier \(last 2 runs, newest first, from .*\)$/);
    expect(lines).toContain('The estimates were off by 25% on average over 1 Azure run.');
    expect(lines.filter((l) => /^\| [12] \|/.test(l))).toEqual([
      expect.stringMatching(/^\| 2 \| \S+ \| azure 1 × Standard_NC6s_v3 \| 30 min \| \$2\.00 \| \$2\.50 \| \+25% \|$/),
      expect.stringMatching(/^\| 1 \| \S+ \| local runner \| 14 s \| — \| — \| — \|$/),
    ]);
    const json = run(dir, { history: 'true', format: 'json' });
    expect(await json.done).toBe(0);
    const doc = JSON.parse(json.out.stdout);
    expect(doc.model).toBe('flowers-classifier');
    expect(doc.runs.map((r: { version: string; offBy: number | null }) => [r.version, r.offBy])).toEqual([
      ['2', 0.25],
      ['1', null],
    ]);

    // The PR comment's actual: 1800 s + 600 s idle at the $4/h the run recorded, not the snapshot's $3.06.
    const after = run(dir, { 'actual-from-registry': 'true' });
    await after.done;
    expect(after.out.stdout).toMatch(
      /The run from flowers-classifier version 2 in the experiment registry cost \*\*\$2\.67\*\*/,
    );
  });

  it('a workspace experiment registry it cannot reach only costs the history, with a warning', async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'registries:\n  experiment: local', 'registries:\n  experiment: workspace');
    patch(
      dir,
      'tfaml.yml',
      'project: flowers-classifier\n',
      'project: flowers-classifier\nworkspace: { subscription-id: 00000000-0000-0000-0000-000000000000, resource-group: rg, name: mlw-dev }\n',
    );
    vi.stubEnv('TFAML_AUTH', 'client-secret');
    vi.stubEnv('AZURE_CLIENT_SECRET', '');
    const { out, done } = run(dir);
    expect(await done).toBe(0);
    expect(out.logs).toContainEqual(
      expect.stringMatching(
        /^warning: cost: could not read earlier run durations from workspace mlw-dev \(.+\); estimating from train.expected-hours$/,
      ),
    );
    expect(out.stdout).toContain('from train.expected-hours (30 min)');
  });

  it('a sweep on a low-priority cluster that never scales to zero', async () => {
    const dir = copyExample();
    writeFileSync(
      path.join(dir, 'azureml/jobs/train.yml'),
      'type: sweep\ncompute: azureml:gpu-cluster\nsampling_algorithm: random\nobjective: { goal: maximize, primary_metric: accuracy }\nsearch_space:\n  lr: { type: uniform, min_value: 0.0001, max_value: 0.01 }\ntrial:\n  command: python train.py\n  code: ../../src\n  environment: azureml:tf-gpu:3\nresources: { instance_count: 1 }\nlimits: { max_total_trials: 8, max_concurrent_trials: 2, trial_timeout: 1200 }\n',
    );
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'tier: dedicated', 'tier: low_priority');
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 1');
    const { out, done } = run(dir);
    expect(await done).toBe(0);
    expectGolden('cost', 'sweep-low-priority.md', out.stdout);
    expect(out.stdout).toContain('sweep: 8 trials on gpu-cluster');
    expect(out.stdout).toContain(
      '**Kept alive permanently:** gpu-cluster: min_instances 1, endpoint flowers/blue bill every hour',
    );
  });

  it('adds the actual cost of a finished run from its real duration, and links its run report', async () => {
    vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com');
    const url = 'https://github.com/acme/flowers/actions/runs/123/artifacts/456';
    const { out, done } = run(copyExample(), { 'actual-duration-s': '2700', 'report-url': url });
    expect(await done).toBe(0);
    expectGolden('cost', 'actual.md', out.stdout);
    expect(out.stdout).toContain('1 × Standard_NC6s_v3 × 45 min + 600 s idle');
    expect(out.stdout).toContain(`📊 [The run report](${url}): `);
    expect(JSON.parse(out.outputs['cost-json']!)).toMatchObject({ reportUrl: url });
    expect(out.logs.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  it.each([
    {
      server: 'https://github.com',
      url: 'https://evil.example/acme/flowers/actions/runs/1/artifacts/2',
      why: 'its host evil.example is not github.com (GITHUB_SERVER_URL)',
    },
    {
      server: 'https://ghe.acme.example',
      url: 'https://github.com/acme/flowers/actions/runs/1/artifacts/2',
      why: 'its host github.com is not ghe.acme.example (GITHUB_SERVER_URL)',
    },
    {
      server: 'https://github.com',
      url: 'https://github.com/acme/flowers/pull/7',
      why: 'it is not an Actions artifact URL such as https://github.com/<owner>/<repo>/actions/runs/<id>/artifacts/<id>',
    },
  ])('does not link a report-url $url on $server, and warns', async ({ server, url, why }) => {
    vi.stubEnv('GITHUB_SERVER_URL', server);
    const { out, done } = run(copyExample(), { 'actual-duration-s': '2700', 'report-url': url });
    expect(await done).toBe(0);
    expect(out.stdout).not.toContain('The run report');
    expect(out.stdout).not.toContain(url);
    expect(JSON.parse(out.outputs['cost-json']!)).toMatchObject({ reportUrl: null });
    expect(out.logs).toContainEqual(
      expect.stringContaining(`warning: cost: report-url "${url}" is not linked from the comment: ${why}`),
    );
  });
});

describe('the diff against the base ref and the budget gate', () => {
  it('shows base and PR side by side and fails (exit 1) above max-increase-usd, saying how to override', async () => {
    const dir = repoExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3', 'size: Standard_NC24s_v3');
    patch(dir, 'azureml/endpoints/blue.yml', 'instance_count: 1', 'instance_count: 2');
    const { out, done } = run(dir, { base: 'main' });
    expect(await done).toBe(1);
    expectGolden('cost', 'diff-over-budget.md', out.stdout);
    expect(out.stdout).toContain('add the label `cost-approved`');
    expect(out.outputs.budget).toBe('over');
    expect(out.outputs['change-usd']).toBe('7.04');
    expect(out.stdout).toContain(
      '- `cost.max-increase-usd` is $20.00: always-on capacity costs $213.89 more per month than on the base.',
    );
    expect(out.stdout).not.toContain('`cost.budget-usd`');
  });

  it('the override label on the pull request lets it pass; the comment says it was approved', async () => {
    const dir = repoExample();
    patch(dir, 'azureml/endpoints/blue.yml', 'instance_count: 1', 'instance_count: 2');
    const gh = await github({ pulls: { 7: { labels: ['cost-approved'] } } });
    event(prEvent(7));
    const { out, done } = run(dir, { base: 'main', 'github-token': 'tok', 'post-comment': 'true' }, 'action');
    expect(await done).toBe(0);
    expect(gh.pulls.get(7)!.comments).toHaveLength(1);
    expect(gh.pulls.get(7)!.comments[0]!.body).toContain('over budget, approved by the `cost-approved` label');
    expect(out.outputs['comment-url']).toContain('issuecomment-');
  });

  it('a base without tfaml.yml counts everything as new', async () => {
    const dir = copyExample();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, 'README.md'), 'hi\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '-qm', 'first');
    const { out, done } = run(dir, { base: 'main', format: 'json' });
    // A new always-on endpoint is a $213.89/month increase: over max-increase-usd.
    expect(await done).toBe(1);
    const doc = JSON.parse(out.stdout);
    expect(doc.budget.breaches).toEqual([
      { limit: 'max-increase-usd', period: 'month', value: expect.closeTo(213.89, 2), max: 20 },
    ]);
    expect(doc.diff.baseMissing).toBe('tfaml.yml did not exist at main');
    expect(doc.diff.run.change).toBeCloseTo(doc.estimate.run.expected, 3);
  });

  it('a bad --base is a usage error', async () => {
    await expect(run(repoExample(), { base: 'no-such-ref' }).done).rejects.toThrow(
      /--base no-such-ref is not a commit/,
    );
  });
});

describe('the pull request comment', () => {
  it('exactly one comment: created once, then updated in place on every run', async () => {
    const others = Array.from({ length: 130 }, (_, i) => ({ id: i + 1, body: `review ${i}`, user: { login: 'dev' } }));
    const gh = await github({ pulls: { 7: { comments: others } } });
    event(prEvent(7));
    const dir = copyExample();
    expect(await run(dir, { 'github-token': 'tok' }, 'action').done).toBe(0);
    patch(dir, 'azureml/endpoints/blue.yml', 'instance_count: 1', 'instance_count: 3');
    expect(await run(dir, { 'github-token': 'tok' }, 'action').done).toBe(0);
    const marked = gh.pulls.get(7)!.comments.filter((c) => c.body.includes(MARK));
    expect(marked).toHaveLength(1);
    expect(marked[0]!.body).toContain('3 × Standard_DS3_v2');
    expect(gh.writes.map((w) => w.method)).toEqual(['POST', 'PATCH']);
    // The second run found the comment on page 2 (130 others, 100 per page).
    expect(gh.requests.some((q) => q.url.includes('page=2'))).toBe(true);
  });

  it('a fork pull request: no comment attempted, the report goes to the job summary with a notice', async () => {
    const gh = await github({ pulls: { 7: {} } });
    event(prEvent(7, true));
    const notices: string[] = [];
    const out = capture('action');
    const code = await cost(
      inputs({ config: path.join(copyExample(), 'tfaml.yml'), prices: 'snapshot', 'github-token': 'tok' }),
      out,
      {
        mask: () => {},
        codeHost: {
          labels: async () => [],
          upsertComment: async () => Promise.reject(new Error('must not post')),
          notice: (m) => void notices.push(m),
        },
      },
    );
    expect(code).toBe(0);
    expect(notices).toEqual([expect.stringMatching(/no comment on #7, which comes from a fork/)]);
    expect(out.summaries[0]).toContain('comes from a fork, whose token may only read');
    expect(gh.writes).toEqual([]);
  });

  it('a read-only token (403) falls back to the summary and a notice instead of failing', async () => {
    const gh = await github({ pulls: { 7: {} }, readOnly: true });
    event(prEvent(7));
    const out = capture('action');
    const notices: string[] = [];
    const { gitHubCodeHost } = await import('../../src/adapters/github/code-host.js');
    const host = gitHubCodeHost({
      token: 'tok',
      repository: gh.repo,
      baseUrl: gh.url,
      notice: (m) => void notices.push(m),
    });
    const code = await cost(
      inputs({ config: path.join(copyExample(), 'tfaml.yml'), prices: 'snapshot', 'github-token': 'tok' }),
      out,
      { mask: () => {}, codeHost: host },
    );
    expect(code).toBe(0);
    expect(notices[0]).toMatch(/the token is read-only/);
    expect(out.summaries[0]).toMatch(/Resource not accessible by integration/);
    expect(gh.writes).toEqual([]);
  });

  it('masks the token as soon as it is read', async () => {
    const masked: string[] = [];
    await cost(
      inputs({ config: path.join(copyExample(), 'tfaml.yml'), prices: 'snapshot', 'github-token': 's3cret' }),
      capture('cli'),
      { mask: (s) => void masked.push(s) },
    );
    expect(masked).toEqual(['s3cret']);
  });

  it('an unknown pull request number is exit 2 before anything is written', async () => {
    const gh = await github({ pulls: { 7: {} } });
    const err = await run(copyExample(), { 'github-token': 'tok', 'pr-number': '99' }, 'action').done.catch((e) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toMatch(/pull request #99 was not found/);
    expect(gh.writes).toEqual([]);
  });
});

describe('bad input: a clear error, exit 2, no comment half posted', () => {
  async function failing(edit: (dir: string) => void): Promise<{ err: ConfigurationError; gh: GitHubServer }> {
    const gh = await github({ pulls: { 7: {} } });
    event(prEvent(7));
    const dir = copyExample();
    edit(dir);
    const err = await run(dir, { 'github-token': 'tok' }, 'action').done.then(
      () => {
        throw new Error('cost should have failed');
      },
      (e: unknown) => e as ConfigurationError,
    );
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(describeFailure(err).exitCode).toBe(2);
    expect(gh.requests).toEqual([]);
    return { err, gh };
  }

  it('an unknown VM size suggests the nearest known ones, at the size line', async () => {
    const { err } = await failing((d) =>
      patch(d, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3', 'size: Standard_NC6s_v4'),
    );
    expect(err.describe()).toMatch(
      /^azureml\/compute\/gpu-cluster.yml:4:7: unknown VM size Standard_NC6s_v4: the offline price snapshot has no Linux price for it in any region; did you mean Standard_NC6s_v3, /,
    );
  });

  it('a region with no price names the regions that have one', async () => {
    const { err } = await failing((d) => patch(d, 'tfaml.yml', 'region: eastus', 'region: westus3'));
    expect(err.describe()).toMatch(
      /^tfaml.yml:\d+:11: Standard_NC6s_v3 has no price in region westus3 \(cost.region\) in the offline price snapshot; it is priced in .*eastus/,
    );
  });

  it('a misspelt region gets the nearest one that has the price', async () => {
    const { err } = await failing((d) => patch(d, 'tfaml.yml', 'region: eastus', 'region: eastuss'));
    expect(err.message).toMatch(
      /^Standard_NC6s_v3 has no price in region eastuss \(cost.region\) in the offline price snapshot; did you mean eastus\? it is priced in /,
    );
  });

  it('a real region without the price is not corrected as a typo', async () => {
    const { err } = await failing((d) => patch(d, 'tfaml.yml', 'region: eastus', 'region: westcentralus'));
    expect(err.message).toMatch(
      /^Standard_NC6s_v3 has no price in region westcentralus \(cost.region\) in the offline price snapshot; it is priced in /,
    );
    expect(err.message).not.toMatch(/did you mean/);
  });

  it('a job whose compute no compute file defines', async () => {
    const { err } = await failing((d) =>
      patch(d, 'azureml/jobs/train.yml', 'compute: azureml:gpu-cluster', 'compute: azureml:gpu-cluster-2'),
    );
    expect(err.describe()).toBe(
      'azureml/jobs/train.yml:8:10: the job runs on compute "gpu-cluster-2", but no compute file listed under `compute:` in tfaml.yml defines it, so its VM size is unknown; the compute files define gpu-cluster',
    );
  });

  it('a compute file listed in tfaml.yml that does not exist', async () => {
    const { err } = await failing((d) =>
      patch(d, 'tfaml.yml', 'azureml/compute/gpu-cluster.yml', 'azureml/compute/gpu.yml'),
    );
    expect(err.describe()).toMatch(/compute\[0\]\.path: azureml\/compute\/gpu.yml does not exist/);
  });

  it('a currency we do not support', async () => {
    const { err } = await failing((d) => patch(d, 'tfaml.yml', 'region: eastus', 'region: eastus\n  currency: EUR'));
    expect(err.describe()).toMatch(/^tfaml.yml:\d+:13: cost.currency EUR is not supported/);
  });

  it('no cost section', async () => {
    const { err } = await failing((d) => patch(d, 'tfaml.yml', /\ncost:[\s\S]*$/, '\n'));
    expect(err.message).toMatch(/no `cost:` section/);
  });

  it('through the CLI: exit 2 and the message on stderr, no stack', async () => {
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3', 'size: Standard_NC6s_v4');
    const err: string[] = [];
    const spy = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((s) => void err.push(String(s)) as unknown as boolean);
    const code = await runCli(['cost', '--config', path.join(dir, 'tfaml.yml'), '--prices', 'snapshot']);
    spy.mockRestore();
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/^tfaml: azureml\/compute\/gpu-cluster.yml:4:7: unknown VM size Standard_NC6s_v4/);
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });

  it('a bad prices mode names the valid ones', async () => {
    await expect(run(copyExample(), { prices: 'cheap' }).done).rejects.toThrow(
      'input prices is "cheap"; it must be one of auto, api, snapshot',
    );
  });
});
