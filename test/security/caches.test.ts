/**
 * Caches are never taken from the checkout (src/core/cache.ts): on a runner a price cache a pull request commits
 * under .tfaml/cache is ignored, any committed file under .tfaml/ is a validate finding, and so is a .tfaml/ that
 * git would commit.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cost } from '../../src/commands/cost.js';
import { validate } from '../../src/commands/validate.js';
import { projectCacheDir } from '../../src/core/cache.js';
import { item, startPricesServer, type PricesServer } from '../fakes/prices-server.js';
import { capture, copyExample, inputs, tempDir } from '../helpers/project.js';

const servers: PricesServer[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('projectCacheDir', () => {
  it('is under RUNNER_TEMP on a runner, and the project’s .tfaml/cache elsewhere', () => {
    const runnerTemp = tempDir();
    const onRunner = projectCacheDir('/w/repo', { GITHUB_ACTIONS: 'true', RUNNER_TEMP: runnerTemp });
    expect(path.relative(runnerTemp, onRunner).startsWith('tfaml')).toBe(true);
    expect(projectCacheDir('/w/repo', {})).toBe(path.join('/w/repo', '.tfaml', 'cache'));
    // Two projects on one runner never share a cache.
    expect(projectCacheDir('/w/other', { GITHUB_ACTIONS: 'true', RUNNER_TEMP: runnerTemp })).not.toBe(onRunner);
  });
});

describe('a price cache committed in the checkout', () => {
  async function runCost(dir: string) {
    const out = capture('action');
    expect(await cost(inputs({ config: path.join(dir, 'tfaml.yml'), prices: 'auto' }), out)).toBe(0);
    return Number(out.outputs['run-usd']);
  }

  it('makes training look free off a runner (the developer’s own cache), and is ignored on a runner', async () => {
    const prices = await startPricesServer({
      items: [item('eastus', 'Standard_NC6s_v3', 3.06), item('eastus', 'Standard_DS3_v2', 0.293)],
    });
    servers.push(prices);
    vi.stubEnv('TFAML_PRICES_URL', prices.url);
    vi.stubEnv('GITHUB_ACTIONS', '');
    const dir = copyExample();
    const honest = await runCost(dir);
    expect(honest).toBeGreaterThan(1);
    // The PR's forged cache: every price zero.
    const cacheDir = path.join(dir, '.tfaml', 'cache');
    const file = readdirSync(cacheDir).find((f) => f.startsWith('prices-'))!;
    const forged = readFileSync(path.join(cacheDir, file), 'utf8').replace(/"retailPrice":[0-9.]+/g, '"retailPrice":0');
    writeFileSync(path.join(cacheDir, file), forged);
    expect(await runCost(dir)).toBe(0); // the cache is real off a runner: the test can tell

    vi.stubEnv('GITHUB_ACTIONS', 'true');
    vi.stubEnv('RUNNER_TEMP', tempDir());
    const requestsBefore = prices.requests.length;
    expect(await runCost(dir)).toBe(honest);
    expect(prices.requests.length).toBeGreaterThan(requestsBefore);
  });
});

describe('cache/committed', () => {
  it('a file committed under .tfaml/ is an error finding naming it and how to remove it', async () => {
    const dir = copyExample();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    mkdirSync(path.join(dir, '.tfaml', 'cache'), { recursive: true });
    writeFileSync(path.join(dir, '.tfaml', 'cache', 'prices-2026-01-01-abc.json'), '{}');
    git('add', '-f', '.tfaml/cache/prices-2026-01-01-abc.json');
    const out = capture('action');
    await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out);
    const report = JSON.parse(out.stdout) as { findings: { rule: string; file: string; message: string }[] };
    const f = report.findings.find((x) => x.rule === 'cache/committed');
    expect(f).toMatchObject({ file: '.tfaml/cache/prices-2026-01-01-abc.json' });
    expect(f!.message).toMatch(/1 file is committed under \.tfaml\/.*git rm -r --cached \.tfaml/);
  });

  it('nothing committed, no finding', async () => {
    const dir = copyExample();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const out = capture('action');
    await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out);
    expect(out.stdout).not.toContain('cache/committed');
  });
});

describe('cache/not-ignored', () => {
  async function findings(dir: string) {
    const out = capture('action');
    await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out);
    const r = JSON.parse(out.stdout) as {
      findings: { rule: string; severity: string; file: string; message: string }[];
    };
    return r.findings.filter((f) => f.rule.startsWith('cache/'));
  }
  function project(opts: { git: boolean; ignore?: string }) {
    // A user's global excludes must not decide these cases.
    vi.stubEnv('GIT_CONFIG_GLOBAL', path.join(tempDir(), 'none'));
    const dir = copyExample();
    if (opts.git) execFileSync('git', ['init', '-q'], { cwd: dir });
    if (opts.ignore !== undefined) writeFileSync(path.join(dir, '.gitignore'), opts.ignore);
    mkdirSync(path.join(dir, '.tfaml', 'cache'), { recursive: true });
    writeFileSync(path.join(dir, '.tfaml', 'cache', 'prices.json'), '{}');
    return dir;
  }

  it('.tfaml/ that git would commit is a warning saying to ignore it', async () => {
    expect(await findings(project({ git: true }))).toEqual([
      expect.objectContaining({
        rule: 'cache/not-ignored',
        severity: 'warning',
        file: '.gitignore',
        line: 1,
        message: expect.stringMatching(/^git does not ignore \.tfaml\/ .*add `\.tfaml\/` to \.gitignore/) as string,
      }),
    ]);
  });

  it('ignored (as tfaml init writes it), or outside a repository: nothing', async () => {
    expect(await findings(project({ git: true, ignore: 'node_modules/\n.tfaml/\n' }))).toEqual([]);
    expect(await findings(project({ git: true, ignore: '/.tfaml\n' }))).toEqual([]);
    expect(await findings(project({ git: false }))).toEqual([]);
  });

  it('a folder above the project that ignores its .tfaml/ counts, as git counts it', async () => {
    vi.stubEnv('GIT_CONFIG_GLOBAL', path.join(tempDir(), 'none'));
    const repo = tempDir();
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const dir = path.join(repo, 'ml project');
    cpSync(copyExample(), dir, { recursive: true });
    mkdirSync(path.join(dir, '.tfaml', 'cache'), { recursive: true });
    writeFileSync(path.join(repo, '.gitignore'), 'ml project/.tfaml/\n');
    expect(await findings(dir)).toEqual([]);
    writeFileSync(path.join(repo, '.gitignore'), '/other/.tfaml/\n');
    expect((await findings(dir)).map((f) => f.rule)).toEqual(['cache/not-ignored']);
  });

  it('a negation anywhere on the way is left to git, which has the last word', async () => {
    const dir = project({ git: true, ignore: '.tfaml/\n!.tfaml/\n' });
    expect((await findings(dir)).map((f) => f.rule)).toEqual(['cache/not-ignored']);
  });

  it('a plain .gitignore line answers without starting git (validate start-up)', async () => {
    // A git that records each call and says "not ignored": asked, it would turn the answer into a warning.
    const bin = tempDir();
    const calls = path.join(tempDir(), 'calls');
    writeFileSync(path.join(bin, 'git'), '#!/bin/sh\necho "$1" >> "$GIT_CALLS"\nexit 1\n');
    chmodSync(path.join(bin, 'git'), 0o755);
    const plain = project({ git: true, ignore: 'node_modules/\n.tfaml/\n' });
    const other = project({ git: true, ignore: '.tfaml-old/\n' });
    vi.stubEnv('PATH', `${bin}${path.delimiter}${process.env.PATH}`);
    vi.stubEnv('GIT_CALLS', calls);
    expect(await findings(plain)).toEqual([]);
    expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '').not.toContain('check-ignore');
    expect((await findings(other)).map((f) => f.rule)).toEqual(['cache/not-ignored']);
    expect(readFileSync(calls, 'utf8')).toContain('check-ignore');
  });

  it('a .gitignore that ignores something else still warns', async () => {
    expect((await findings(project({ git: true, ignore: '.tfaml-old/\n' }))).map((f) => f.rule)).toEqual([
      'cache/not-ignored',
    ]);
  });
});
