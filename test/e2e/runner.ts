/**
 * A small GitHub Actions runner for the workflow templates: enough of the runner to run a template's jobs the way
 * GitHub does, and nothing that could hide a mistake in them.
 *
 * - `on:` is matched against the event (event name, pull_request types, branch filters with $default-branch).
 * - Jobs run in `needs` order; each job's `if:` is evaluated (with the implicit success() of GitHub) and each job gets
 *   a fresh runner: a new workspace checked out from the origin repository the way actions/checkout does it
 *   (fetch-depth honoured: 1 is a shallow fetch of the event's ref), a new RUNNER_TEMP, new GITHUB_OUTPUT /
 *   GITHUB_STEP_SUMMARY files per step.
 * - `uses: actions/cache@<commit>` restores the entry of its exact `key`, else the newest whose key starts with one
 *   of its `restore-keys`, from the caches of the event's ref and then of the default branch (GitHub's cache scope:
 *   a pull request reads main's caches, main never reads a pull request's); at the end of a job that did not hit
 *   its key exactly it saves `path` under the key, in the event's ref's scope. `hashFiles('a', 'b')` (literal paths)
 *   and `runner.temp` / `runner.os` are evaluated for its keys and paths.
 * - `uses: actions/checkout@<commit>` is that checkout, upload-artifact and download-artifact keep a folder per run
 *   (which commit a step pins is test/security/workflows.test.ts's business); `uses: tfaml/tfaml/actions/<verb>@v0`
 *   reads actions/<verb>/action.yml, evaluates the step's `with:` and the input defaults, and runs the composite
 *   steps: `if:` evaluated, `run:` with
 *   `bash --noprofile --norc -eo pipefail -c` (the runner's `shell: bash`), env = runner env + job env + step env with
 *   `${{ }}` substituted, GITHUB_ACTION_PATH = <repo>/actions/<verb>. Action outputs come from `outputs.*.value`, job
 *   outputs from the job's `outputs:`. Inside a composite action, `uses: actions/cache@<commit>` restores the entry of
 *   its exact key into `path` (a hit) or saves `path` under it after a successful job (RunOptions.caches), and
 *   `runner.os` / `runner.arch` evaluate. Any other `uses:` that would run is an error.
 * - `${{ }}` is evaluated by a tiny evaluator that knows exactly the forms the templates and actions use: context
 *   paths (github.event.*, github.token / repository / ref / sha / event_name, inputs.*, needs.<job>.outputs.*,
 *   steps.<id>.outputs.*, vars.*), '…' literals, == != && || ! ( ), and the status functions success() failure()
 *   cancelled() always(). Anything else throws, so a template that starts using more fails this test loudly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '../..');

// ---------------------------------------------------------------------------------------------------------------
// Expressions

export type Value = string | number | boolean | null | { [k: string]: Value } | Value[];

/** What an expression may see. Only the contexts present may be used; each lists the names it declares. */
export interface Scope {
  github?: { event: Value; token: string; repository: string; ref: string; sha: string; event_name: string };
  /** Declared inputs with their values (composite action inputs, or workflow_dispatch inputs). */
  inputs?: Record<string, string | boolean>;
  /** The job's `needs`, with their outputs and result. */
  needs?: Record<string, { outputs: Record<string, string>; result: string }>;
  /** Steps declared so far in the job or composite action, by id. */
  steps?: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }>;
  vars?: Record<string, string>;
  /** For success() / failure() / cancelled() / always(). */
  status?: { failed: boolean };
  /** runner.os, runner.arch and (in a job) runner.temp. */
  runner?: { os: string; arch: string; temp?: string };
  /** GITHUB_WORKSPACE, where hashFiles() looks. */
  workspace?: string;
}

type Tok = { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`expression ${JSON.stringify(src)}: unterminated string`);
        if (src[i] === "'" && src[i + 1] === "'") {
          v += "'";
          i += 2;
        } else if (src[i] === "'") {
          i++;
          break;
        } else v += src[i++];
      }
      toks.push({ t: 'str', v });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))![0];
      toks.push({ t: 'id', v: m });
      i += m.length;
    } else {
      const op =
        ['==', '!=', '&&', '||'].find((o) => src.startsWith(o, i)) ??
        (['!', '.', '(', ')', ','].includes(c) ? c : undefined);
      if (!op)
        throw new Error(
          `expression ${JSON.stringify(src)}: ${JSON.stringify(src.slice(i))} is not a form this runner evaluates`,
        );
      toks.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return toks;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];
const GITHUB_PROPS = ['event', 'token', 'repository', 'ref', 'sha', 'event_name'];

function truthy(v: Value): boolean {
  return !(v === null || v === false || v === '' || v === 0 || (typeof v === 'number' && Number.isNaN(v)));
}

function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return NaN;
}

/** GitHub's ==: strings compare case-insensitively; other types are coerced to numbers. */
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && (typeof a === 'boolean' || a === null)) return a === b;
  return toNumber(a) === toNumber(b);
}

export function evaluate(src: string, scope: Scope): Value {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new Error(`expression ${JSON.stringify(src)}: expected ${v}`);
    p++;
  };
  const or = (): Value => {
    let l = and();
    while (isOp('||')) {
      p++;
      const r = and();
      l = truthy(l) ? l : r;
    }
    return l;
  };
  const and = (): Value => {
    let l = eq();
    while (isOp('&&')) {
      p++;
      const r = eq();
      l = truthy(l) ? r : l;
    }
    return l;
  };
  const eq = (): Value => {
    let l = unary();
    while (isOp('==') || isOp('!=')) {
      const op = toks[p++]!.v;
      const r = unary();
      l = op === '==' ? equal(l, r) : !equal(l, r);
    }
    return l;
  };
  const unary = (): Value => {
    if (isOp('!')) {
      p++;
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const t = toks[p++];
    if (!t) throw new Error(`expression ${JSON.stringify(src)}: unexpected end`);
    if (t.t === 'str') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t.t !== 'id') throw new Error(`expression ${JSON.stringify(src)}: unexpected ${t.v}`);
    if (isOp('(') && t.v === 'hashFiles') {
      p++;
      const files: string[] = [];
      while (!isOp(')')) {
        if (files.length) expect(',');
        const a = toks[p++];
        if (a?.t !== 'str') throw new Error(`expression ${JSON.stringify(src)}: hashFiles() takes '…' literals here`);
        files.push(a.v);
      }
      expect(')');
      if (!scope.workspace) throw new Error(`expression ${JSON.stringify(src)}: hashFiles() is not available here`);
      return hashFiles(scope.workspace, files, src);
    }
    if (isOp('(')) {
      if (!STATUS_FUNCTIONS.includes(t.v))
        throw new Error(`expression ${JSON.stringify(src)}: function ${t.v}() is not one this runner evaluates`);
      p++;
      expect(')');
      if (!scope.status) throw new Error(`expression ${JSON.stringify(src)}: ${t.v}() is not available here`);
      const failed = scope.status.failed;
      return t.v === 'success' ? !failed : t.v === 'failure' ? failed : t.v === 'cancelled' ? false : true;
    }
    const parts = [t.v];
    while (isOp('.')) {
      p++;
      const n = toks[p++];
      if (n?.t !== 'id')
        throw new Error(`expression ${JSON.stringify(src)}: only .name property access is evaluated here`);
      parts.push(n.v);
    }
    return lookup(parts, scope, src);
  };
  const v = or();
  if (p !== toks.length) throw new Error(`expression ${JSON.stringify(src)}: unexpected ${toks[p]!.v}`);
  return v;
}

/**
 * GitHub's hashFiles(): the sha256 over the sha256 of each matching file, '' when none match. Only literal paths are
 * evaluated here (a pattern throws, so a template that starts using one fails loudly).
 */
function hashFiles(workspace: string, files: string[], src: string): string {
  const outer = createHash('sha256');
  let any = false;
  for (const f of files) {
    if (/[*?[\]!]/.test(f))
      throw new Error(`expression ${JSON.stringify(src)}: hashFiles pattern ${f} is not evaluated here`);
    const abs = path.join(workspace, f);
    if (!existsSync(abs)) continue;
    outer.update(createHash('sha256').update(readFileSync(abs)).digest());
    any = true;
  }
  return any ? outer.digest('hex') : '';
}

function lookup(parts: string[], scope: Scope, src: string): Value {
  const [root, name, ...rest] = parts;
  const fail = (why: string) => {
    throw new Error(`expression ${JSON.stringify(src)}: ${why}`);
  };
  const walk = (v: Value | undefined, path: string[]): Value => {
    let cur: Value | undefined = v;
    for (const k of path)
      cur =
        cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, Value>)[k] : undefined;
    return cur === undefined ? null : cur;
  };
  if (name === undefined) fail(`a bare context (${root}) is not evaluated here`);
  switch (root) {
    case 'github': {
      if (!scope.github) fail('the github context is not available here');
      if (!GITHUB_PROPS.includes(name!))
        fail(`github.${name} is not a property this runner provides (${GITHUB_PROPS.join(', ')})`);
      return walk(scope.github as unknown as Value, [name!, ...rest]);
    }
    case 'inputs': {
      if (!scope.inputs) fail('the inputs context is not available here');
      if (!(name! in scope.inputs!))
        fail(`inputs.${name} is not a declared input (${Object.keys(scope.inputs!).join(', ')})`);
      if (rest.length) fail('inputs.<name> has no properties');
      return scope.inputs![name!]!;
    }
    case 'needs': {
      if (!scope.needs) fail('the needs context is not available here');
      if (!(name! in scope.needs!)) fail(`needs.${name}: ${name} is not in this job's needs`);
      if (rest[0] !== 'outputs' && rest[0] !== 'result')
        fail('only needs.<job>.outputs.<name> and needs.<job>.result are evaluated');
      return walk(scope.needs![name!] as unknown as Value, rest);
    }
    case 'steps': {
      if (!scope.steps) fail('the steps context is not available here');
      if (!(name! in scope.steps!))
        fail(`steps.${name}: no step with that id (${Object.keys(scope.steps!).join(', ') || 'none'})`);
      if (!['outputs', 'outcome', 'conclusion'].includes(rest[0] ?? ''))
        fail('only steps.<id>.outputs.<name>, .outcome and .conclusion are evaluated');
      return walk(scope.steps![name!] as unknown as Value, rest);
    }
    case 'runner': {
      if (!scope.runner) fail('the runner context is not available here');
      const value = name === 'temp' || name === 'os' || name === 'arch' ? scope.runner![name] : undefined;
      if (value === undefined) fail(`runner.${name} is not a property this runner provides here (temp, os, arch)`);
      return value!;
    }
    case 'vars': {
      if (!scope.vars) fail('the vars context is not available here');
      if (rest.length) fail('vars.<name> has no properties');
      // An unset repository variable is an empty string.
      return scope.vars![name!] ?? '';
    }
    default:
      return fail(`the ${root} context is not one this runner evaluates`);
  }
}

function asString(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A YAML value with `${{ }}` substituted; a value without any is returned as it is. */
export function interpolate(value: unknown, scope: Scope): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => asString(evaluate(expr, scope)));
}

/** An `if:` condition: with or without `${{ }}`, with GitHub's implicit success() when no status function is used. */
export function condition(cond: unknown, scope: Scope): boolean {
  if (cond === undefined) return !scope.status?.failed;
  if (typeof cond === 'boolean') return cond && !scope.status?.failed;
  let src = String(cond).trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(src);
  if (m) src = m[1]!;
  if (!new RegExp(`\\b(${STATUS_FUNCTIONS.join('|')})\\s*\\(`).test(src)) src = `success() && (${src})`;
  return truthy(evaluate(src, scope));
}

// ---------------------------------------------------------------------------------------------------------------
// The runner

export interface GitHubEvent {
  name: 'pull_request' | 'push' | 'workflow_dispatch';
  payload: Record<string, unknown>;
  /** GITHUB_REF and GITHUB_SHA as GitHub sets them for the event. */
  ref: string;
  sha: string;
}

export interface RunOptions {
  /** File name in workflows-templates/ (or in workflowDir). */
  template: string;
  /** Where the workflow file is read from instead: a repository's .github/workflows, as `tfaml init` wrote it. */
  workflowDir?: string;
  event: GitHubEvent;
  /** A git repository (a bare one or a working copy) that actions/checkout fetches from. */
  origin: string;
  repository: string;
  token: string;
  apiUrl: string;
  vars?: Record<string, string>;
  /** Extra environment every step gets (TFAML_HUB_URL and TFAML_PRICES_URL pointing at the fakes). */
  env?: Record<string, string>;
  /** The runner's tool cache (shared, as a warm runner image's). */
  toolCache: string;
  /** Folders that outlive a job, relative to the workspace (a registry service); copied into every new workspace and back out. */
  persist?: { dir: string; paths: string[] };
  /** Where this workflow run's artifacts are kept between its jobs (default: beside the runners' temp folders). */
  artifacts?: string;
  /** actions/cache's storage, which outlives a workflow run: one folder per ref scope, one entry per key. */
  caches?: string;
  /** The repository's default branch, whose caches every ref may read (default main). */
  defaultBranch?: string;
  /** Folder on PATH before the system's (stubs such as nvidia-smi). */
  binDir: string;
  /**
   * Where the actions (actions/<verb>, dist/) are read from: the repository, or a copy of it for a test whose steps
   * write beside the action (actions/train links tfjs-node-gpu into the action's node_modules).
   */
  actionRoot?: string;
}

export interface StepRecord {
  /** `<template step id or uses>` / `<composite step id or index>` */
  name: string;
  ran: boolean;
  code?: number | null;
  stdout?: string;
  stderr?: string;
  outputs: Record<string, string>;
  summary: string;
  env?: Record<string, string>;
  /** A `uses:` step's `with:`, evaluated. */
  with?: Record<string, string>;
}

export interface JobResult {
  ran: boolean;
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** The job summary: every step's GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  workspace?: string;
}

export interface WorkflowResult {
  triggered: boolean;
  jobs: Record<string, JobResult>;
}

/** GITHUB_OUTPUT: `name=value` lines and `name<<DELIM` … `DELIM` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const end = lines.indexOf(delim!, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delim} for ${name}`);
      out[name!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: invalid line ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${r.stderr}`);
  return r.stdout.trim();
}

function branchesMatch(filter: unknown, branch: string, defaultBranch: string): boolean {
  if (filter === undefined) return true;
  const list = (filter as string[]).map((b) => (b === '$default-branch' ? defaultBranch : b));
  if (list.some((b) => /[*?![\]]/.test(b)))
    throw new Error(`branch filter ${JSON.stringify(list)}: glob patterns are not evaluated here`);
  return list.includes(branch);
}

/** Does `on:` start this workflow for the event? */
export function triggers(on: Record<string, unknown>, event: GitHubEvent): boolean {
  if (!(event.name in on)) return false;
  const cfg = (on[event.name] ?? {}) as { types?: string[]; branches?: string[] };
  const repo = event.payload.repository as { default_branch: string };
  if (event.name === 'pull_request') {
    const types = cfg.types ?? ['opened', 'synchronize', 'reopened'];
    const pr = event.payload.pull_request as { base: { ref: string } };
    return (
      types.includes(event.payload.action as string) && branchesMatch(cfg.branches, pr.base.ref, repo.default_branch)
    );
  }
  if (event.name === 'push')
    return branchesMatch(cfg.branches, event.ref.replace(/^refs\/heads\//, ''), repo.default_branch);
  return true;
}

/** actions/checkout: a fresh repository fetching the event's ref from origin (shallow unless fetch-depth is 0). */
function checkout(workspace: string, o: RunOptions, fetchDepth: number): void {
  git(workspace, ['init', '-q']);
  git(workspace, ['remote', 'add', 'origin', `file://${o.origin}`]);
  if (fetchDepth === 0)
    git(workspace, [
      'fetch',
      '-q',
      '--no-tags',
      'origin',
      '+refs/heads/*:refs/remotes/origin/*',
      `+${o.event.ref}:refs/remotes/event`,
    ]);
  else
    git(workspace, [
      'fetch',
      '-q',
      '--no-tags',
      `--depth=${fetchDepth}`,
      'origin',
      `+${o.event.ref}:refs/remotes/event`,
    ]);
  const sha = git(workspace, ['rev-parse', 'refs/remotes/event']);
  if (sha !== o.event.sha)
    throw new Error(`checkout: ${o.event.ref} is ${sha} in origin, not GITHUB_SHA ${o.event.sha}`);
  git(workspace, ['checkout', '-q', '--detach', sha]);
}

function runBash(
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The runner's `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
    const c = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}
interface Job {
  if?: unknown;
  needs?: string | string[];
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Step {
  id?: string;
  name?: string;
  if?: unknown;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface ActionYml {
  inputs?: Record<string, { default?: unknown; required?: boolean }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

export function readTemplate(name: string, dir = path.join(REPO_ROOT, 'workflows-templates')): Workflow {
  return parse(readFileSync(path.join(dir, name), 'utf8')) as Workflow;
}

export async function runWorkflow(o: RunOptions): Promise<WorkflowResult> {
  const wf = readTemplate(o.template, o.workflowDir);
  const result: WorkflowResult = { triggered: triggers(wf.on, o.event), jobs: {} };
  if (!result.triggered) return result;
  if (wf.env) throw new Error('workflow-level env: is not simulated here');
  const runId = String(1000 + Math.floor(Math.random() * 1e6));
  const github = {
    event: o.event.payload as Value,
    token: o.token,
    repository: o.repository,
    ref: o.event.ref,
    sha: o.event.sha,
    event_name: o.event.name,
  };
  const dispatchInputs = o.event.name === 'workflow_dispatch' ? declaredDispatchInputs(wf, o.event.payload) : undefined;
  const eventFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfaml-event-')), 'event.json');
  writeFileSync(eventFile, JSON.stringify(o.event.payload, null, 2));
  o = { ...o, artifacts: o.artifacts ?? mkdtempSync(path.join(os.tmpdir(), 'tfaml-artifacts-')) };

  const pending = Object.keys(wf.jobs);
  while (pending.length) {
    const i = pending.findIndex((j) => needsOf(wf.jobs[j]!).every((n) => n in result.jobs));
    if (i < 0) throw new Error(`jobs ${pending.join(', ')} wait for each other`);
    const [name] = pending.splice(i, 1);
    const job = wf.jobs[name!]!;
    const needs = Object.fromEntries(
      needsOf(job).map((n) => [n, { outputs: result.jobs[n]!.outputs, result: result.jobs[n]!.result }]),
    );
    const needsFailed = Object.values(needs).some((n) => n.result !== 'success');
    const jobScope: Scope = {
      github,
      needs,
      vars: o.vars ?? {},
      inputs: dispatchInputs,
      status: { failed: needsFailed },
    };
    if (!condition(job.if, jobScope)) {
      result.jobs[name!] = { ran: false, result: 'skipped', outputs: {}, steps: [], summary: '' };
      continue;
    }
    result.jobs[name!] = await runJob(name!, job, jobScope, o, { runId, eventFile });
  }
  return result;
}

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** workflow_dispatch inputs: every declared one, from the payload or its default; booleans stay booleans. */
function declaredDispatchInputs(wf: Workflow, payload: Record<string, unknown>): Record<string, string | boolean> {
  const declared =
    (
      (wf.on.workflow_dispatch ?? {}) as {
        inputs?: Record<string, { default?: unknown; required?: boolean; type?: string; options?: string[] }>;
      }
    ).inputs ?? {};
  const given = (payload.inputs ?? {}) as Record<string, string>;
  for (const k of Object.keys(given))
    if (!(k in declared)) throw new Error(`workflow_dispatch: input ${k} is not declared`);
  const out: Record<string, string | boolean> = {};
  for (const [k, d] of Object.entries(declared)) {
    const v = given[k] ?? (d.default === undefined ? '' : String(d.default));
    if (d.required && v === '') throw new Error(`workflow_dispatch: input ${k} is required`);
    if (d.type === 'choice' && v !== '' && !d.options!.includes(v))
      throw new Error(`workflow_dispatch: input ${k} is ${v}; options are ${d.options!.join(', ')}`);
    out[k] = d.type === 'boolean' ? v === 'true' : v;
  }
  return out;
}

async function runJob(
  name: string,
  job: Job,
  jobScope: Scope,
  o: RunOptions,
  run: { runId: string; eventFile: string },
): Promise<JobResult> {
  const runner = mkdtempSync(path.join(os.tmpdir(), `tfaml-runner-${name}-`));
  const workspace = path.join(runner, 'work', 'repo');
  const temp = path.join(runner, 'temp');
  const home = path.join(runner, 'home');
  for (const d of [workspace, temp, home]) mkdirSync(d, { recursive: true });
  const jobEnv = Object.fromEntries(
    Object.entries(job.env ?? {}).map(([k, v]) => [k, interpolate(v, { ...jobScope, status: undefined })]),
  );
  const base: Record<string, string> = {
    PATH: [o.binDir, path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKFLOW: o.template,
    GITHUB_JOB: name,
    GITHUB_RUN_ID: run.runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_REPOSITORY: o.repository,
    GITHUB_EVENT_NAME: o.event.name,
    GITHUB_EVENT_PATH: run.eventFile,
    GITHUB_REF: o.event.ref,
    GITHUB_SHA: o.event.sha,
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: o.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: o.toolCache,
    ...(o.event.name === 'pull_request'
      ? {
          GITHUB_BASE_REF: (o.event.payload.pull_request as { base: { ref: string } }).base.ref,
          GITHUB_HEAD_REF: (o.event.payload.pull_request as { head: { ref: string } }).head.ref,
        }
      : {}),
    ...o.env,
    ...jobEnv,
  };
  const res: JobResult = { ran: true, result: 'success', outputs: {}, steps: [], summary: '', workspace };
  const steps: NonNullable<Scope['steps']> = Object.fromEntries(
    job.steps.filter((s) => s.id).map((s) => [s.id!, { outputs: {}, outcome: 'skipped', conclusion: 'skipped' }]),
  );
  let failed = false;
  // actions/cache saves in its post step, after the job's steps, when the job succeeded.
  const posts: (() => void)[] = [];
  for (const step of job.steps) {
    const scope: Scope = {
      ...jobScope,
      steps,
      status: { failed },
      runner: { temp, os: 'Linux', arch: 'X64' },
      workspace,
    };
    if (!condition(step.if, scope)) continue;
    if (step.run !== undefined) throw new Error(`${name}: a run: step in a template is not simulated here`);
    let ok: boolean;
    let outputs: Record<string, string> = {};
    const action = step.uses?.replace(/@[^@]*$/, '');
    if (action === 'actions/checkout') {
      const depth = step.with?.['fetch-depth'] === undefined ? 1 : Number(interpolate(step.with['fetch-depth'], scope));
      checkout(workspace, o, depth);
      if (o.persist) {
        for (const p of o.persist.paths)
          if (existsSync(path.join(o.persist.dir, p)))
            cpSync(path.join(o.persist.dir, p), path.join(workspace, p), { recursive: true });
      }
      res.steps.push({ name: 'actions/checkout', ran: true, code: 0, outputs: {}, summary: '' });
      ok = true;
    } else if (action === 'actions/cache') {
      const w = step.with ?? {};
      const key = interpolate(w.key, scope);
      const dir = interpolate(w.path, scope).trim();
      if (!key || !dir || dir.includes('\n')) throw new Error(`${name}: actions/cache needs one path and a key here`);
      const target = path.isAbsolute(dir) ? dir : path.join(workspace, dir);
      const prefixes = interpolate(w['restore-keys'] ?? '', scope)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const hit = restoreCache(o, key, prefixes);
      if (hit) cpSync(hit.dir, target, { recursive: true });
      outputs = { 'cache-hit': String(hit?.key === key) };
      if (hit?.key !== key) posts.push(() => saveCache(o, key, target));
      res.steps.push({ name: action, ran: true, code: 0, outputs, summary: hit ? `restored ${hit.key}` : '' });
      ok = true;
    } else if (action === 'actions/upload-artifact' || action === 'actions/download-artifact') {
      // Artifacts: a folder per workflow run that outlives its jobs, as GitHub's artifact storage does.
      const w = step.with ?? {};
      const store = path.join(o.artifacts!, interpolate(w.name ?? w.pattern ?? 'artifact', scope));
      const local = path.join(workspace, interpolate(w.path ?? '.', scope));
      if (action === 'actions/upload-artifact') {
        if (existsSync(local)) cpSync(local, store, { recursive: true, force: true });
        else if (w['if-no-files-found'] !== 'ignore')
          throw new Error(`${name}: upload-artifact found no files at ${w.path}`);
      } else if (existsSync(store)) cpSync(store, local, { recursive: true });
      res.steps.push({ name: action, ran: true, code: 0, outputs: {}, summary: '' });
      ok = true;
    } else {
      const m = /^tfaml\/tfaml\/actions\/([a-z]+)@v0$/.exec(step.uses ?? '');
      if (!m) throw new Error(`${name}: step uses ${step.uses}, which this runner does not run`);
      const r = await runComposite(m[1]!, step, scope, base, workspace, `actions/${m[1]}`, res, o, posts);
      ok = r.ok;
      outputs = r.outputs;
    }
    if (step.id)
      steps[step.id] = { outputs, outcome: ok ? 'success' : 'failure', conclusion: ok ? 'success' : 'failure' };
    if (!ok) failed = true;
  }
  res.result = failed ? 'failure' : 'success';
  // Like actions/cache, a failed job saves nothing.
  if (!failed) for (const post of posts) post();
  if (o.persist) {
    for (const p of o.persist.paths)
      if (existsSync(path.join(workspace, p)))
        cpSync(path.join(workspace, p), path.join(o.persist.dir, p), { recursive: true, force: true });
  }
  const outScope: Scope = { ...jobScope, steps, status: undefined };
  res.outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, outScope)]));
  return res;
}

function cacheScope(o: RunOptions, ref: string): string {
  o.caches ??= mkdtempSync(path.join(os.tmpdir(), 'tfaml-caches-'));
  return path.join(o.caches, encodeURIComponent(ref));
}

/** actions/cache's post step: `target` saved under `key` in the event's ref's scope; an existing key is never overwritten. */
function saveCache(o: RunOptions, key: string, target: string): void {
  const entry = path.join(cacheScope(o, o.event.ref), encodeURIComponent(key));
  if (existsSync(target) && !existsSync(entry)) cpSync(target, entry, { recursive: true });
}

/** The exact key, else the newest entry matching a restore-key prefix: this ref's scope first, then the default branch's. */
function restoreCache(o: RunOptions, key: string, prefixes: string[]): { key: string; dir: string } | undefined {
  const scopes = [...new Set([o.event.ref, `refs/heads/${o.defaultBranch ?? 'main'}`])].map((r) => cacheScope(o, r));
  for (const scope of scopes) {
    const exact = path.join(scope, encodeURIComponent(key));
    if (existsSync(exact)) return { key, dir: exact };
  }
  for (const prefix of prefixes) {
    for (const scope of scopes) {
      if (!existsSync(scope)) continue;
      const found = readdirSync(scope)
        .map((e) => ({ key: decodeURIComponent(e), dir: path.join(scope, e) }))
        .filter((e) => e.key.startsWith(prefix))
        .sort((a, b) => statSync(b.dir).mtimeMs - statSync(a.dir).mtimeMs)[0];
      if (found) return found;
    }
  }
  return undefined;
}

async function runComposite(
  verb: string,
  step: Step,
  scope: Scope,
  base: Record<string, string>,
  workspace: string,
  label: string,
  job: JobResult,
  o: RunOptions,
  posts: (() => void)[],
): Promise<{ ok: boolean; outputs: Record<string, string> }> {
  const actionPath = path.join(o.actionRoot ?? REPO_ROOT, 'actions', verb);
  const action = parse(readFileSync(path.join(actionPath, 'action.yml'), 'utf8')) as ActionYml;
  if (action.runs.using !== 'composite') throw new Error(`actions/${verb} is not a composite action`);
  const declared = action.inputs ?? {};
  for (const k of Object.keys(step.with ?? {}))
    if (!(k in declared)) throw new Error(`${label}: with.${k} is not an input of actions/${verb}`);
  // with: is evaluated in the workflow's scope; defaults in the action's, which has github but not the job's steps.
  const inputs: Record<string, string> = {};
  for (const [k, d] of Object.entries(declared)) {
    const given = step.with?.[k];
    inputs[k] =
      given !== undefined
        ? interpolate(given, { ...scope, status: undefined })
        : interpolate(d.default, { github: scope.github });
    if (d.required && inputs[k] === '') throw new Error(`${label}: input ${k} of actions/${verb} is required`);
  }
  const steps: NonNullable<Scope['steps']> = Object.fromEntries(
    action.runs.steps
      .filter((s) => s.id)
      .map((s) => [s.id!, { outputs: {}, outcome: 'skipped', conclusion: 'skipped' }]),
  );
  let failed = false;
  for (const [i, s] of action.runs.steps.entries()) {
    const inner: Scope = {
      github: scope.github,
      inputs,
      steps,
      runner: { os: base.RUNNER_OS!, arch: base.RUNNER_ARCH! },
      status: { failed },
    };
    const name = `${label}/${s.id ?? i}`;
    if (!condition(s.if, inner)) {
      job.steps.push({ name, ran: false, outputs: {}, summary: '' });
      continue;
    }
    if (s.uses !== undefined && /^actions\/cache@[0-9a-f]{40}$/.test(s.uses)) {
      // actions/cache: restore the entry of this exact key into path, or save path under it after the job.
      const w = Object.fromEntries(
        Object.entries(s.with ?? {}).map(([k, v]) => [k, interpolate(v, { ...inner, status: undefined })]),
      );
      const found = restoreCache(o, w.key!, []);
      const hit = found?.key === w.key;
      if (found) cpSync(found.dir, w.path!, { recursive: true });
      if (!hit) posts.push(() => saveCache(o, w.key!, w.path!));
      const outputs = { 'cache-hit': String(hit) };
      job.steps.push({ name, ran: true, code: 0, outputs, summary: '', with: w });
      if (s.id) steps[s.id] = { outputs, outcome: 'success', conclusion: 'success' };
      continue;
    }
    if (s.uses !== undefined) throw new Error(`${name}: would run uses: ${s.uses}, which this runner does not run`);
    if (s.shell !== 'bash')
      throw new Error(`${name}: shell ${s.shell} is not simulated (a composite run step must say shell: bash)`);
    const stepEnv = Object.fromEntries(
      Object.entries(s.env ?? {}).map(([k, v]) => [k, interpolate(v, { ...inner, status: undefined })]),
    );
    const dir = mkdtempSync(path.join(base.RUNNER_TEMP!, '_runner_file_commands-'));
    const files = {
      GITHUB_OUTPUT: path.join(dir, 'output'),
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
      GITHUB_ENV: path.join(dir, 'env'),
      GITHUB_PATH: path.join(dir, 'path'),
      GITHUB_STATE: path.join(dir, 'state'),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const env = {
      ...base,
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_ACTION_REPOSITORY: 'tfaml/tfaml',
      GITHUB_ACTION_REF: 'v0',
      ...files,
      ...stepEnv,
    };
    const r = await runBash(s.run ?? '', env, workspace);
    const outputs = parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
    job.steps.push({
      name,
      ran: true,
      code: r.code,
      stdout: r.stdout,
      stderr: r.stderr,
      outputs,
      summary,
      env: stepEnv,
    });
    job.summary += summary;
    const ok = r.code === 0;
    if (s.id) steps[s.id] = { outputs, outcome: ok ? 'success' : 'failure', conclusion: ok ? 'success' : 'failure' };
    if (!ok) failed = true;
  }
  const outScope: Scope = { github: scope.github, inputs, steps };
  const outputs = Object.fromEntries(
    Object.entries(action.outputs ?? {}).map(([k, v]) => [k, interpolate(v.value, outScope)]),
  );
  return { ok: !failed, outputs };
}
