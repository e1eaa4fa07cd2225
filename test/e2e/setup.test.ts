/**
 * README "Set up in five minutes", followed as written. The Azure and GitHub commands cannot run here, so the README's
 * setup block is read and held against what the workflows need: every `vars.AZURE_*` a workflow reads is set, every
 * identity a job becomes trusts exactly that job's OIDC subject (its environment, else its event and branch), and
 * every role a command grants is the one the README's identity table names. The rest runs: a repository that has
 * only Azure ML YAML and data (in a folder with a space and a non-ASCII letter), the README's `npx tfaml` lines
 * through dist/cli.js (run `npm run build` first), its first-PR commands, then the pull request workflow `tfaml init`
 * wrote into .github/workflows, through ./runner.ts against the fake GitHub, hub and prices servers.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';
import { startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { item, startPricesServer, type PricesServer } from '../fakes/prices-server.js';
import { EXAMPLES, tempDir } from '../helpers/project.js';
import { REPO_ROOT, runWorkflow, type GitHubEvent, type StepRecord } from './runner.js';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const SETUP = README.slice(README.indexOf('## Set up in five minutes'), README.indexOf('## Security model'));
const REPO = 'acme/flowers';
const TOKEN = 'ghs_setupNotARealToken00';
const PR = 1;

/** The shell blocks of the set-up section, each as its lines without the list's indentation. */
function shellBlocks(): string[][] {
  return [...SETUP.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)].map((m) =>
    m[2]!
      .split('\n')
      .map((l) => l.slice(m[1]!.length))
      .filter((l) => l.trim()),
  );
}

/** The block between <!-- setup:start --> and <!-- setup:end -->: the Azure and GitHub side. */
function azureBlock(): string[] {
  const i = SETUP.indexOf('<!-- setup:start -->');
  const j = SETUP.indexOf('<!-- setup:end -->');
  expect(i, 'README "Set up in five minutes" has its <!-- setup:start --> block').toBeGreaterThan(0);
  return shellBlocks().find((b) => SETUP.slice(i, j).includes(b[0]!))!;
}

/** `--flag value` or `--flag "value"` of one command line. */
function flag(line: string, name: string): string | undefined {
  return line
    .match(new RegExp(`--${name} (?:"([^"]*)"|(\\S+))`))
    ?.slice(1)
    .find((v) => v !== undefined);
}

interface Needed {
  variable: string;
  subject: string;
  where: string;
}

/** What each job that reaches Azure needs: the client id variable it reads and the OIDC subject its token carries. */
function neededByWorkflows(): Needed[] {
  const out: Needed[] = [];
  const dir = path.join(REPO_ROOT, 'workflows-templates');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
    const wf = parse(readFileSync(path.join(dir, file), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: Record<string, { environment?: string | { name: string }; env?: Record<string, string> }>;
    };
    for (const [name, job] of Object.entries(wf.jobs)) {
      const variable = job.env?.AZURE_CLIENT_ID?.match(/vars\.(AZURE_CLIENT_ID_\w+)/)?.[1];
      if (!variable) continue;
      const env = typeof job.environment === 'object' ? job.environment.name : job.environment;
      // GitHub's subject: the environment when the job has one, else pull_request, else the ref (the templates run
      // their push, schedule and dispatch jobs only on main).
      const subject = env ? `environment:${env}` : 'pull_request' in wf.on ? 'pull_request' : 'ref:refs/heads/main';
      out.push({ variable, subject, where: `${file} job ${name}` });
    }
  }
  return out;
}

describe('README "Set up in five minutes": the Azure and GitHub commands', () => {
  const block = azureBlock();
  const set = new Map(
    block
      .filter((l) => l.startsWith('gh variable set '))
      .map((l) => [l.split(' ')[3]!, l.match(/\$\(client ([\w-]+)\)/)?.[1]] as const),
  );

  it('sets every repository variable a workflow reads, and no other', () => {
    const used = new Set<string>();
    for (const f of readdirSync(path.join(REPO_ROOT, 'workflows-templates')).filter((x) => x.endsWith('.yml')))
      for (const m of readFileSync(path.join(REPO_ROOT, 'workflows-templates', f), 'utf8').matchAll(/vars\.(\w+)/g))
        used.add(m[1]!);
    expect([...set.keys()].sort()).toEqual([...used].sort());
    expect([...used].sort()).toEqual([
      'AZURE_CLIENT_ID_AUDIT',
      'AZURE_CLIENT_ID_PR',
      'AZURE_CLIENT_ID_PRODUCTION',
      'AZURE_CLIENT_ID_TRAIN',
      'AZURE_SUBSCRIPTION_ID',
      'AZURE_TENANT_ID',
    ]);
  });

  it("gives each job's identity a federated credential for exactly the subjects of the jobs that use it", () => {
    const created = new Set(
      block.filter((l) => l.startsWith('az identity create ')).map((l) => l.match(/ -n ([\w-]+)/)![1]!),
    );
    const creds = block
      .filter((l) => l.startsWith('az identity federated-credential create '))
      .map((l) => {
        expect(flag(l, 'issuer'), l).toBe('$ISSUER');
        expect(flag(l, 'audiences'), l).toBe('api://AzureADTokenExchange');
        return `${flag(l, 'identity-name')} ${flag(l, 'subject')}`;
      });
    expect(block).toContain('ISSUER=https://token.actions.githubusercontent.com');
    const needed = neededByWorkflows().map((n) => {
      const identity = set.get(n.variable);
      expect(identity, `${n.where}: ${n.variable} is set from an identity`).toBeDefined();
      expect(created.has(identity!), `${identity} is created`).toBe(true);
      return `${identity} repo:$REPO:${n.subject}`;
    });
    expect(new Set(needed).size).toBeGreaterThanOrEqual(4);
    expect([...new Set(creds)].sort()).toEqual([...new Set(needed)].sort());
    expect(creds).toHaveLength(new Set(creds).size);
  });

  it('grants each identity the roles the README identity table names, and the pull request identity only Reader', () => {
    const rows = new Map(
      [...SETUP.matchAll(/^ *\| `(AZURE_CLIENT_ID_\w+)` \|.*\| ([^|]+) \|$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect([...rows.keys()].sort()).toEqual([...set.keys()].filter((k) => k.startsWith('AZURE_CLIENT_ID_')).sort());
    const identityOf = new Map([...set].filter(([, i]) => i).map(([v, i]) => [i!, v]));
    const granted = new Map<string, string[]>();
    for (const l of block.filter((x) => x.startsWith('az role assignment create '))) {
      const identity = l.match(/\$\(principal ([\w-]+)\)/)![1]!;
      granted.set(identity, [...(granted.get(identity) ?? []), `${flag(l, 'role')} on ${flag(l, 'scope')}`]);
      expect(rows.get(identityOf.get(identity)!), `${identity}: the table names ${flag(l, 'role')}`).toContain(
        `*${flag(l, 'role')}*`,
      );
    }
    expect([...granted.keys()].sort()).toEqual([...identityOf.keys()].sort());
    expect(granted.get('tfaml-pr')).toEqual(['Reader on $WS_ID']);
  });

  it('creates the environments the workflows run in', () => {
    const envs = new Set(
      neededByWorkflows()
        .map((n) => n.subject.match(/^environment:(.+)$/)?.[1])
        .filter(Boolean),
    );
    expect([...envs].sort()).toEqual(['pr-training', 'production']);
    for (const e of envs) expect(block).toContainEqual(expect.stringContaining(`repos/$REPO/environments/${e}"`));
    expect(block).toContainEqual(
      expect.stringMatching(/environments\/production\/deployment-branch-policies" .*name=main/),
    );
  });
});

describe('README "Set up in five minutes": a new repository to its first pull request', () => {
  let hub: HubServer;
  let gh: GitHubServer;
  let prices: PricesServer;
  let repo: string;

  const env = () => ({
    PATH: process.env.PATH!,
    HOME: repo,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Ada',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
    TFAML_HUB_URL: hub.url,
    TFAML_PRICES_URL: prices.url,
  });
  function sh(cmd: string, args: string[]): string {
    const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', env: env() });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }
  const git = (...args: string[]) => sh('git', args).trim();
  /** dist/cli.js, without blocking: the fake servers answer from this process. */
  async function tfaml(args: string[]): Promise<string> {
    const r = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'dist/cli.js'), ...args], {
      cwd: repo,
      env: env(),
    }).catch((e: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`tfaml ${args.join(' ')} exited ${e.code}\n${e.stdout}\n${e.stderr}`);
    });
    return r.stdout;
  }

  beforeAll(async () => {
    [hub, gh, prices] = await Promise.all([
      startStandardHub(),
      startGitHubServer({ repo: REPO, pulls: { [PR]: {} } }),
      startPricesServer({
        items: [item('eastus', 'Standard_NC6s_v3', 3.06), item('eastus', 'Standard_DS3_v2', 0.293)],
      }),
    ]);
    // A team's repository before tfaml: the example's Azure ML YAML and data, nothing else.
    repo = path.join(tempDir('tfaml-setup-'), 'flowers ü repo');
    mkdirSync(repo);
    cpSync(path.join(EXAMPLES, 'azureml'), path.join(repo, 'azureml'), { recursive: true });
    cpSync(path.join(EXAMPLES, 'data'), path.join(repo, 'data'), { recursive: true });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'flowers classifier on Azure ML');
  });

  afterAll(async () => {
    await Promise.all([hub?.close(), gh?.close(), prices?.close()]);
  });

  it('install, init, lock, the first pull request: validate passes and the cost comment is posted', async () => {
    const [first, ...rest] = shellBlocks();
    const firstPr = rest.find((b) => b.some((l) => l.startsWith('gh pr create')))!;
    expect(first!.filter((l) => !l.startsWith('#'))).toEqual([
      'npm i -D github:<owner>/tfaml#v0', // test/e2e/package.test.ts installs the package the same way
      'npx tfaml init',
      'npx tfaml lock',
      'npx tfaml validate',
    ]);
    const base = git('rev-parse', 'HEAD');
    for (const line of first!.filter((l) => l.startsWith('npx tfaml '))) {
      const args = line.split(' ').slice(2);
      if (args[0] === 'lock') {
        // "edit tfaml.yml: owners, model": what the comment before `lock` asks for.
        const yml = readFileSync(path.join(repo, 'tfaml.yml'), 'utf8');
        const model = yml.match(/^# model:\n(#.*\n)+/m)![0]!;
        writeFileSync(
          path.join(repo, 'tfaml.yml'),
          yml
            .replace(/^owners: \[\].*$/m, 'owners: ["@acme/ml-platform"]')
            .replace(model, model.replace(/^# ?/gm, '').replace('my-classifier', 'flowers-classifier')),
        );
      }
      const out = await tfaml(args);
      if (args[0] === 'init') expect(out).toContain('wrote .github/workflows/tfaml-pull-request.yml (on main)');
      if (args[0] === 'validate') expect(out).toMatch(/ in 6 files/);
    }
    // The first PR's branch, git add and commit as the README says (push and gh pr create: the fake's pull request 1).
    expect(firstPr[0]).toBe('git checkout -b tfaml');
    for (const line of firstPr.slice(0, 3)) {
      const args = (line.match(/"[^"]*"|\S+/g) ?? []).slice(1).map((a) => a.replace(/^"|"$/g, ''));
      if (args[0] === 'add') args.splice(args.indexOf('package.json'), 2); // no npm install in this scratch repository
      git(...args);
    }
    const head = git('rev-parse', 'HEAD');
    git('checkout', '-q', '--detach', 'main');
    git('merge', '-q', '--no-ff', '-m', 'Merge tfaml into main', 'tfaml');
    const merge = git('rev-parse', 'HEAD');
    git('update-ref', `refs/pull/${PR}/merge`, merge);
    git('checkout', '-q', 'tfaml');

    const repository = {
      id: 1,
      name: 'flowers',
      full_name: REPO,
      private: false,
      default_branch: 'main',
      owner: { login: 'acme', type: 'Organization' },
    };
    const user = { login: 'ada', type: 'User' };
    const event: GitHubEvent = {
      name: 'pull_request',
      ref: `refs/pull/${PR}/merge`,
      sha: merge,
      payload: {
        action: 'opened',
        number: PR,
        pull_request: {
          number: PR,
          labels: [],
          user,
          head: { ref: 'tfaml', sha: head, repo: repository, user },
          base: { ref: 'main', sha: base, repo: repository, user: repository.owner },
          merge_commit_sha: merge,
        },
        repository,
        sender: user,
      },
    };
    const r = await runWorkflow({
      template: 'tfaml-pull-request.yml',
      workflowDir: path.join(repo, '.github/workflows'),
      event,
      origin: repo,
      repository: REPO,
      token: TOKEN,
      apiUrl: gh.url,
      vars: {},
      env: { TFAML_HUB_URL: hub.url, TFAML_PRICES_URL: prices.url },
      toolCache: tempDir('tfaml-setup-toolcache-'),
      caches: tempDir('tfaml-setup-caches-'),
      binDir: tempDir('tfaml-setup-bin-'),
    });
    expect(r.triggered).toBe(true);
    const step = (job: string, name: string): StepRecord => {
      const s = r.jobs[job]!.steps.find((x) => x.name === name)!;
      if (s.code !== 0) console.error(`${name} exited ${s.code}\n${s.stdout}\n${s.stderr}`);
      return s;
    };
    const v = step('validate', 'actions/validate/run');
    expect(v.code).toBe(0);
    expect(v.outputs.errors).toBe('0');
    expect(JSON.parse(v.outputs['report-json']!).summary).toMatchObject({ base, errors: 0, files: 6 });
    expect(r.jobs.validate!.result).toBe('success');

    const c = step('cost', 'actions/cost/run');
    expect(c.code).toBe(0);
    expect(c.outputs['comment-url']).toMatch(new RegExp(`/${REPO}/pull/${PR}#issuecomment-\\d+$`));
    const comments = gh.pulls.get(PR)!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- tfaml-cost: .+ -->\n## tfaml cost: /);
    expect(comments[0]!.body).toContain('one training run');
    expect(r.jobs.train).toMatchObject({ ran: false, result: 'skipped' });
  });
});
