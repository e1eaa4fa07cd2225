/**
 * The workflow templates and the composite actions hold up against the audits zizmor runs, checked here because
 * zizmor itself cannot be installed in this environment: every file is parsed with `yaml` and each rule below is
 * asserted, and a table of bad snippets shows each rule really catches what it is named for.
 *
 * - template-injection: no `${{ }}` inside `run:` (values reach a script through `env:`), nor in github-script's
 *   `script:`: an expression is pasted into the script before it runs, so a PR title would become code.
 * - excessive-permissions: the workflow grants nothing (`{}` or `contents: read`); each job declares its own, and a
 *   write scope only where that job uses it (id-token for Azure OIDC, pull-requests and issues for the cost comment,
 *   issues for the audit issue).
 * - unpinned-uses: third-party actions by full commit SHA with the version in a comment; no `./` actions (in a
 *   pull request they are the PR's code). The one exception is tfaml's own `tfaml/tfaml/actions/<verb>@v0` in the
 *   templates, which cannot know the commit of the release they ship in; each template says to pin it once copied.
 * - artipacked: every actions/checkout sets `persist-credentials: false`, so no token is left in .git for a later
 *   step (or an uploaded artifact) to find.
 * - dangerous-triggers: no `pull_request_target` or `workflow_run`, which run with the base's secrets and a write
 *   token while the code at hand may be the pull request's.
 * - cache-poisoning: no cache keyed or located by something a caller or a pull request controls, and no cache at all
 *   in a job that writes production (a poisoned entry would reach what is promoted).
 * - secrets-inherit: no reusable workflow called with `secrets: inherit`.
 * - identities: each trust level has its own Azure identity (README, "Security model"): pull_request jobs
 *   AZURE_CLIENT_ID_PR (read-only), PR training in `environment: pr-training` and training from main
 *   AZURE_CLIENT_ID_TRAIN, promotion AZURE_CLIENT_ID_PRODUCTION only in `environment: production`; a manual
 *   dispatch holding an identity runs only on refs/heads/main.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');

type Rule =
  | 'template-injection'
  | 'excessive-permissions'
  | 'unpinned-uses'
  | 'artipacked'
  | 'dangerous-triggers'
  | 'cache-poisoning'
  | 'secrets-inherit'
  | 'identities';

interface Finding {
  rule: Rule;
  where: string;
}

type Kind = 'workflow' | 'action' | 'steps';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

interface Job {
  if?: unknown;
  uses?: string;
  secrets?: unknown;
  environment?: string | { name?: string };
  permissions?: unknown;
  env?: Record<string, unknown>;
  steps?: Step[];
}

const SHA_PIN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const OWN_ACTION = /^tfaml\/tfaml\/actions\/[a-z]+@v0$/;
const OWN_PIN_NOTE = 'Pin tfaml/tfaml/actions/*@v0 to the commit of the release you reviewed';
/** Expression contexts a pull request, or whoever calls a composite action, controls. */
const UNTRUSTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|env\.)/;
const CACHE_ACTION = /^actions\/cache(\/restore)?@/;
const WRITE_SCOPE_USE: Record<string, (job: Job) => boolean> = {
  'id-token': (job) => typeof job.env?.AZURE_CLIENT_ID === 'string' || publishesWithProvenance(job),
  // Only the release moves a tag, in an environment whose reviewers approve it.
  contents: (job) => environmentOf(job) === 'release' && (job.steps ?? []).some((s) => /git push -f/.test(s.run ?? '')),
  'pull-requests': (job) => usesCostComment(job),
  issues: (job) =>
    usesCostComment(job) || (job.steps ?? []).some((s) => /^tfaml\/tfaml\/actions\/audit@/.test(s.uses ?? '')),
};

function publishesWithProvenance(job: Job): boolean {
  return (
    environmentOf(job) === 'release' && (job.steps ?? []).some((s) => /npm publish --provenance/.test(s.run ?? ''))
  );
}

function usesCostComment(job: Job): boolean {
  return (job.steps ?? []).some((s) => /^tfaml\/tfaml\/actions\/cost@/.test(s.uses ?? '') && s.with?.['github-token']);
}

function environmentOf(job: Job): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

/** The steps a `uses: tfaml/tfaml/actions/<verb>@…` step runs, read from this repository's action.yml. */
function ownActionSteps(uses: string): Step[] {
  const m = /^tfaml\/tfaml\/actions\/([a-z]+)@/.exec(uses);
  if (!m) return [];
  const action = parse(readFileSync(path.join(ROOT, 'actions', m[1]!, 'action.yml'), 'utf8')) as {
    runs: { steps?: Step[] };
  };
  return action.runs.steps ?? [];
}

function triggersOf(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys((on ?? {}) as Record<string, unknown>);
}

function auditSteps(steps: Step[], where: string, text: string, kind: Kind, out: Finding[]): void {
  for (const [i, step] of steps.entries()) {
    const at = `${where} step ${step.id ?? i}`;
    if (typeof step.run === 'string' && step.run.includes('${{')) out.push({ rule: 'template-injection', where: at });
    if (/^actions\/github-script@/.test(step.uses ?? '') && String(step.with?.script ?? '').includes('${{'))
      out.push({ rule: 'template-injection', where: at });
    if (step.uses !== undefined) auditUses(step.uses, at, text, kind, out);
    if (/^actions\/checkout@/.test(step.uses ?? '') && String(step.with?.['persist-credentials']) !== 'false')
      out.push({ rule: 'artipacked', where: at });
    const caches =
      CACHE_ACTION.test(step.uses ?? '') ||
      (/^actions\/setup-/.test(step.uses ?? '') && step.with?.cache !== undefined);
    if (caches) {
      const w = step.with ?? {};
      for (const k of ['key', 'restore-keys', 'path', 'cache-dependency-path'])
        if (UNTRUSTED.test(String(w[k] ?? ''))) out.push({ rule: 'cache-poisoning', where: `${at} with.${k}` });
    }
  }
}

function auditUses(uses: string, where: string, text: string, kind: Kind, out: Finding[]): void {
  if (uses.startsWith('./') || uses.startsWith('../')) {
    out.push({ rule: 'unpinned-uses', where });
  } else if (uses.startsWith('docker://')) {
    if (!/@sha256:[0-9a-f]{64}$/.test(uses)) out.push({ rule: 'unpinned-uses', where });
  } else if (kind === 'workflow' && OWN_ACTION.test(uses)) {
    if (!text.includes(OWN_PIN_NOTE)) out.push({ rule: 'unpinned-uses', where });
  } else if (!SHA_PIN.test(uses)) {
    out.push({ rule: 'unpinned-uses', where });
  } else {
    // The commit alone says nothing to a reader: the line carries the release it is.
    const escaped = uses.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    if (!new RegExp(`uses:\\s*${escaped}\\s+#\\s*v\\d+(\\.\\d+)*\\s*$`, 'm').test(text))
      out.push({ rule: 'unpinned-uses', where: `${where} (no # vX.Y.Z comment)` });
  }
}

function auditWorkflow(wf: Record<string, unknown>, file: string, text: string, out: Finding[]): void {
  const triggers = triggersOf(wf.on);
  for (const t of triggers)
    if (t === 'pull_request_target' || t === 'workflow_run')
      out.push({ rule: 'dangerous-triggers', where: `${file} on.${t}` });
  const top = wf.permissions;
  const topOk =
    top !== null && typeof top === 'object' && Object.entries(top).every(([k, v]) => k === 'contents' && v === 'read');
  if (!topOk) out.push({ rule: 'excessive-permissions', where: `${file} permissions` });
  const fromPullRequest = triggers.includes('pull_request') || triggers.includes('pull_request_target');

  for (const [name, job] of Object.entries((wf.jobs ?? {}) as Record<string, Job>)) {
    const where = `${file} job ${name}`;
    if (job.secrets === 'inherit') out.push({ rule: 'secrets-inherit', where });
    if (job.uses !== undefined) auditUses(job.uses, where, text, 'workflow', out);

    const perms = job.permissions;
    if (perms === undefined || perms === null || typeof perms !== 'object') {
      out.push({ rule: 'excessive-permissions', where: `${where} permissions` });
    } else {
      for (const [scope, level] of Object.entries(perms as Record<string, string>))
        if (level === 'write' && !WRITE_SCOPE_USE[scope]?.(job))
          out.push({ rule: 'excessive-permissions', where: `${where} permissions.${scope}` });
    }

    const steps = job.steps ?? [];
    auditSteps(steps, where, text, 'workflow', out);

    const env = environmentOf(job);
    if (env === 'production') {
      const everyStep = steps.flatMap((s) => [s, ...ownActionSteps(s.uses ?? '')]);
      for (const s of everyStep)
        if (CACHE_ACTION.test(s.uses ?? '') || (/^actions\/setup-/.test(s.uses ?? '') && s.with?.cache !== undefined))
          out.push({ rule: 'cache-poisoning', where: `${where} (writes production) uses ${s.uses}` });
    }

    // Identities by trust level.
    const clientId = String(job.env?.AZURE_CLIENT_ID ?? '');
    const variable = /^\$\{\{\s*vars\.(AZURE_CLIENT_ID\w*)\s*\}\}$/.exec(clientId)?.[1];
    const idToken = (perms as Record<string, string> | undefined)?.['id-token'] === 'write';
    const bad = (why: string) => out.push({ rule: 'identities', where: `${where}: ${why}` });
    if (clientId && !variable) bad('AZURE_CLIENT_ID must be one repository variable');
    if (variable === 'AZURE_CLIENT_ID') bad('one identity for every trust level');
    if ((variable === 'AZURE_CLIENT_ID_PRODUCTION') !== (env === 'production'))
      if (variable || env === 'production')
        bad('the production identity belongs to, and only to, environment production');
    if (fromPullRequest) {
      if (env === 'production') bad('a pull request never reaches the production environment');
      const expected = env === 'pr-training' ? 'AZURE_CLIENT_ID_TRAIN' : 'AZURE_CLIENT_ID_PR';
      if (variable && variable !== expected) bad(`a pull_request job in ${env ?? 'no environment'} uses ${expected}`);
    } else if (variable === 'AZURE_CLIENT_ID_PR') {
      bad('the read-only pull request identity is for pull_request jobs');
    }
    if (
      triggers.includes('workflow_dispatch') &&
      idToken &&
      !/github\.ref == 'refs\/heads\/main'/.test(String(job.if ?? ''))
    )
      bad("a dispatched job holding an identity runs only from main (if: github.ref == 'refs/heads/main')");
  }
}

/** Every finding in one file's text. */
function audit(kind: Kind, file: string, text: string): Finding[] {
  const out: Finding[] = [];
  const doc = parse(text) as unknown;
  if (kind === 'workflow') auditWorkflow(doc as Record<string, unknown>, file, text, out);
  else if (kind === 'steps') auditSteps(doc as Step[], file, text, kind, out);
  else {
    const runs = (doc as { runs?: { using?: string; steps?: Step[] } }).runs;
    if (runs?.using === 'composite') auditSteps(runs.steps ?? [], file, text, kind, out);
  }
  return out;
}

const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const FILES: [Kind, string][] = [
  ...readdirSync(path.join(ROOT, 'workflows-templates'))
    .filter((f) => f.endsWith('.yml'))
    .map((f): [Kind, string] => ['workflow', `workflows-templates/${f}`]),
  // The repository's own workflows (the release) are held to the same audits.
  ...readdirSync(path.join(ROOT, '.github/workflows'))
    .filter((f) => f.endsWith('.yml'))
    .map((f): [Kind, string] => ['workflow', `.github/workflows/${f}`]),
  ['action', 'action.yml'],
  ...readdirSync(path.join(ROOT, 'actions')).map((d): [Kind, string] => ['action', `actions/${d}/action.yml`]),
  ...readdirSync(path.join(ROOT, 'scripts/actions'))
    .filter((f) => f.endsWith('.yml'))
    .map((f): [Kind, string] => ['steps', `scripts/actions/${f}`]),
];

describe('the templates and actions pass every audit', () => {
  it('covers every template, every action and every composite fragment', () => {
    expect(FILES.filter(([k]) => k === 'workflow')).toHaveLength(5);
    expect(FILES.map(([, f]) => f)).toEqual(
      expect.arrayContaining(['action.yml', 'actions/train/action.yml', 'scripts/actions/train.steps.yml']),
    );
  });

  it.each(FILES)('%s %s', (kind, file) => {
    expect(audit(kind, file, read(file))).toEqual([]);
  });

  it('pins one commit per action across all files, so an upgrade is one change everywhere', () => {
    const refs = new Map<string, Set<string>>();
    for (const [, file] of FILES)
      for (const m of read(file).matchAll(/uses:\s*([^\s@]+)@([0-9a-f]{40})/g)) {
        const set = refs.get(m[1]!) ?? new Set<string>();
        refs.set(m[1]!, set.add(m[2]!));
      }
    expect([...refs.keys()].sort()).toEqual([
      'actions/cache',
      'actions/checkout',
      'actions/download-artifact',
      'actions/setup-node',
      'actions/upload-artifact',
    ]);
    for (const [action, set] of refs) expect([...set], action).toHaveLength(1);
  });
});

describe('identities by trust level, in the templates as shipped', () => {
  const wf = (f: string) =>
    parse(read(`workflows-templates/${f}`)) as { on: Record<string, unknown>; jobs: Record<string, Job> };
  const id = (job: Job) => job.env?.AZURE_CLIENT_ID;

  it('pull request: validate reads with the PR identity; training waits for pr-training and uses the training one', () => {
    const { jobs } = wf('tfaml-pull-request.yml');
    expect(id(jobs.validate!)).toBe('${{ vars.AZURE_CLIENT_ID_PR }}');
    expect(jobs.validate!.environment).toBeUndefined();
    expect(jobs.cost!.env?.AZURE_CLIENT_ID).toBeUndefined();
    expect(jobs.train!.environment).toBe('pr-training');
    expect(id(jobs.train!)).toBe('${{ vars.AZURE_CLIENT_ID_TRAIN }}');
  });

  it('main: training from main, promotion only in production with the production identity', () => {
    const { on, jobs } = wf('tfaml-main.yml');
    expect(on).toEqual({ push: { branches: ['main'] } });
    expect(jobs.train!.environment).toBeUndefined();
    expect(id(jobs.train!)).toBe('${{ vars.AZURE_CLIENT_ID_TRAIN }}');
    expect(jobs.promote!.environment).toBe('production');
    expect(id(jobs.promote!)).toBe('${{ vars.AZURE_CLIENT_ID_PRODUCTION }}');
  });

  it('retrain: only from main', () => {
    const { jobs } = wf('tfaml-retrain.yml');
    expect(jobs.train!.if).toBe("github.ref == 'refs/heads/main'");
    expect(id(jobs.train!)).toBe('${{ vars.AZURE_CLIENT_ID_TRAIN }}');
  });

  it('audit: daily and by hand from main, reads with its own identity, writes only issues', () => {
    const { on, jobs } = wf('tfaml-audit.yml');
    expect(Object.keys(on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(id(jobs.audit!)).toBe('${{ vars.AZURE_CLIENT_ID_AUDIT }}');
    expect(jobs.audit!.if).toBe("github.ref == 'refs/heads/main'");
    expect(jobs.audit!.permissions).toEqual({ contents: 'read', issues: 'write', 'id-token': 'write' });
    expect(jobs.audit!.environment).toBeUndefined();
  });

  it('the templates run when copied: a real branch name, not $default-branch, and a note to change it', () => {
    for (const f of ['tfaml-pull-request.yml', 'tfaml-main.yml']) {
      const text = read(`workflows-templates/${f}`);
      expect(text).not.toContain('$default-branch');
      expect(text).toMatch(/branches: \[main\]/);
      expect(text).toContain('change `main` below if your default branch has another name');
    }
  });
});

const CHECKOUT = 'actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5 # v4.3.1';
const CACHE = 'actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830 # v4.3.0';

/** A clean workflow with one job; each bad snippet below changes one thing in it. */
function workflow(o: { on?: string; top?: string; job?: string; steps?: string } = {}): string {
  return [
    `# ${OWN_PIN_NOTE}`,
    'on:',
    o.on ?? '  push:\n    branches: [main]',
    o.top ?? 'permissions: {}',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    o.job ?? '    permissions:\n      contents: read',
    '    steps:',
    `      - uses: ${CHECKOUT}`,
    '        with:',
    '          persist-credentials: false',
    o.steps ?? '      - run: echo "$TITLE"\n        env:\n          TITLE: ${{ github.event.head_commit.message }}',
    '',
  ].join('\n');
}

function composite(steps: string): string {
  return `name: x\ndescription: x\ninputs:\n  key:\n    description: x\nruns:\n  using: composite\n  steps:\n${steps}\n`;
}

const BAD: [string, Rule, Kind, string][] = [
  [
    'a PR title pasted into run:',
    'template-injection',
    'workflow',
    workflow({ steps: '      - run: echo "${{ github.event.pull_request.title }}"' }),
  ],
  [
    'an input pasted into a composite run:',
    'template-injection',
    'action',
    composite('    - shell: bash\n      run: echo "${{ inputs.key }}"'),
  ],
  [
    'a comment body pasted into github-script',
    'template-injection',
    'workflow',
    workflow({
      steps:
        '      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1\n        with:\n          script: console.log("${{ github.event.comment.body }}")',
    }),
  ],
  ['write-all at the top', 'excessive-permissions', 'workflow', workflow({ top: 'permissions: write-all' })],
  ['no top-level permissions', 'excessive-permissions', 'workflow', workflow({ top: '' })],
  ['a job without permissions', 'excessive-permissions', 'workflow', workflow({ job: '' })],
  [
    'contents: write nobody uses',
    'excessive-permissions',
    'workflow',
    workflow({ job: '    permissions:\n      contents: write' }),
  ],
  [
    'id-token: write without Azure',
    'excessive-permissions',
    'workflow',
    workflow({ job: '    permissions:\n      contents: read\n      id-token: write' }),
  ],
  [
    'pull-requests: write without the cost comment',
    'excessive-permissions',
    'workflow',
    workflow({ job: '    permissions:\n      pull-requests: write' }),
  ],
  ['a tag', 'unpinned-uses', 'workflow', workflow({ steps: '      - uses: actions/setup-node@v4' })],
  [
    'a short SHA',
    'unpinned-uses',
    'workflow',
    workflow({ steps: '      - uses: actions/setup-node@49933ea # v4.4.0' }),
  ],
  [
    'a SHA without its version',
    'unpinned-uses',
    'workflow',
    workflow({ steps: '      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020' }),
  ],
  ['a local action', 'unpinned-uses', 'workflow', workflow({ steps: '      - uses: ./.github/actions/build' })],
  ['a docker tag', 'unpinned-uses', 'workflow', workflow({ steps: '      - uses: docker://alpine:3' })],
  ['uses: ./ in a composite', 'unpinned-uses', 'action', composite('    - uses: ./actions/train')],
  ["tfaml's own @v0 in a composite", 'unpinned-uses', 'action', composite('    - uses: tfaml/tfaml/actions/train@v0')],
  [
    "tfaml's own @v0 with no note to pin it",
    'unpinned-uses',
    'workflow',
    workflow({ steps: '      - uses: tfaml/tfaml/actions/validate@v0' }).replace(`# ${OWN_PIN_NOTE}\n`, ''),
  ],
  [
    'a reusable workflow by branch',
    'unpinned-uses',
    'workflow',
    workflow().replace(
      'jobs:\n',
      'jobs:\n  call:\n    uses: acme/ci/.github/workflows/x.yml@main\n    permissions: {}\n',
    ),
  ],
  [
    'checkout leaving its token in .git',
    'artipacked',
    'workflow',
    workflow().replace('        with:\n          persist-credentials: false\n', ''),
  ],
  [
    'persist-credentials: true',
    'artipacked',
    'workflow',
    workflow().replace('persist-credentials: false', 'persist-credentials: true'),
  ],
  ['pull_request_target', 'dangerous-triggers', 'workflow', workflow({ on: '  pull_request_target:' })],
  [
    'workflow_run',
    'dangerous-triggers',
    'workflow',
    workflow({ on: '  workflow_run:\n    workflows: [ci]\n    types: [completed]' }),
  ],
  [
    'a cache keyed by the PR branch',
    'cache-poisoning',
    'workflow',
    workflow({
      steps: `      - uses: ${CACHE}\n        with:\n          path: x\n          key: deps-\${{ github.head_ref }}`,
    }),
  ],
  [
    'a cache keyed by a PR title',
    'cache-poisoning',
    'workflow',
    workflow({
      steps: `      - uses: ${CACHE}\n        with:\n          path: x\n          key: deps-\${{ github.event.pull_request.title }}`,
    }),
  ],
  [
    'a composite cache located by its caller',
    'cache-poisoning',
    'action',
    composite(`    - uses: ${CACHE}\n      with:\n        path: \${{ inputs.key }}\n        key: k`),
  ],
  [
    'a cache in the job that writes production',
    'cache-poisoning',
    'workflow',
    workflow({
      job: '    environment: production\n    permissions:\n      contents: read\n      id-token: write\n    env:\n      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID_PRODUCTION }}',
      steps: `      - uses: ${CACHE}\n        with:\n          path: x\n          key: deps`,
    }),
  ],
  [
    'a reusable workflow given every secret',
    'secrets-inherit',
    'workflow',
    workflow().replace(
      'jobs:\n',
      'jobs:\n  call:\n    uses: acme/ci/.github/workflows/x.yml@49933ea5288caeca8642d1e84afbd3f7d6820020 # v1.0.0\n    permissions: {}\n    secrets: inherit\n',
    ),
  ],
  [
    'one identity for every trust level',
    'identities',
    'workflow',
    workflow({
      job: '    permissions:\n      id-token: write\n    env:\n      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}',
    }),
  ],
  [
    'the production identity outside production',
    'identities',
    'workflow',
    workflow({
      job: '    permissions:\n      id-token: write\n    env:\n      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID_PRODUCTION }}',
    }),
  ],
  [
    'the training identity in a pull_request job without pr-training',
    'identities',
    'workflow',
    workflow({
      on: '  pull_request:',
      job: '    permissions:\n      id-token: write\n    env:\n      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID_TRAIN }}',
    }),
  ],
  [
    'the read-only PR identity on main',
    'identities',
    'workflow',
    workflow({
      job: '    permissions:\n      id-token: write\n    env:\n      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID_PR }}',
    }),
  ],
  [
    'a dispatch holding an identity from any branch',
    'identities',
    'workflow',
    workflow({
      on: '  workflow_dispatch:',
      job: '    permissions:\n      id-token: write\n    env:\n      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID_TRAIN }}',
    }),
  ],
];

describe('each rule catches what it is named for', () => {
  it('the clean fixtures the bad snippets start from pass', () => {
    expect(audit('workflow', 'clean.yml', workflow())).toEqual([]);
    expect(
      audit(
        'action',
        'clean/action.yml',
        composite('    - shell: bash\n      env:\n        KEY: ${{ inputs.key }}\n      run: echo "$KEY"'),
      ),
    ).toEqual([]);
  });

  it.each(BAD)('%s → %s', (_, rule, kind, text) => {
    expect(audit(kind, 'bad.yml', text).map((f) => f.rule)).toEqual([rule]);
  });
});
