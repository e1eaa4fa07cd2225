/**
 * Two `promote` processes (dist/cli.js, as users run it) racing for the embedded production registry of one
 * project, and what a correct end looks like: exactly one new production version, one process reporting `promoted`
 * (exit 0) and the other `lost` (exit 1) naming the winner, no lock or staging folder left, the champion log with
 * one entry by the winner. Used by test/faults/races.test.ts (a few runs) and bench/races.mjs (many), so it imports
 * nothing that needs vitest.
 *
 * Both must evaluate against the same champion (none) before either writes, or there is no race, only two
 * promotions in a row. So the model's lock is held by this (live) process while they start; each process's TMPDIR
 * is its own folder, and the copy of the candidate's files it makes on entering the publish (withModelFilesOnly in
 * src/promote/model-files.ts) shows it has evaluated and is about to take the lock. Then the lock is released.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localRegistries } from '../../src/adapters/local/registry.js';
import { TAGS } from '../../src/core/tags.js';

const MODEL = 'flowers-classifier';

/** A copy of examples/ with two passing candidates (experiment versions 1 and 2), to copy for each race. */
export async function raceTemplate(repo: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-race-template-'));
  cpSync(path.join(repo, 'examples'), dir, {
    recursive: true,
    filter: (src) => !src.split(path.sep).includes('.tfaml'),
  });
  for (const accuracy of [0.9, 0.91]) {
    const files = mkdtempSync(path.join(os.tmpdir(), 'tfaml-race-candidate-'));
    writeFileSync(path.join(files, 'model.json'), JSON.stringify({ accuracy }));
    await localRegistries(dir).experiment.create({
      name: MODEL,
      files,
      metrics: { accuracy, latency_p95_ms: 40 },
      tags: { [TAGS.inputShape]: '[224,224,3]', [TAGS.classes]: '["a","b"]', [TAGS.data]: 'flowers:1' },
    });
    rmSync(files, { recursive: true, force: true });
  }
  return dir;
}

interface Racer {
  by: string;
  code: number | null;
  stdout: string;
  stderr: string;
  doc?: { decision?: string; productionVersion?: string; notes?: string[] };
  tmp: string;
}

export interface RaceResult {
  /** Empty when the race ended correctly. */
  problems: string[];
  decisions: string[];
  winner?: string;
  lostNote?: string;
  versions: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One race on a fresh copy of `template`; never throws for a wrong end, it lists what was wrong. */
export async function race(repo: string, template: string): Promise<RaceResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-race-'));
  cpSync(template, dir, { recursive: true });
  const models = path.join(dir, '.tfaml', 'production', 'models', MODEL);
  mkdirSync(models, { recursive: true });
  const lock = path.join(models, '.lock');
  const since = new Date().toISOString();
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), by: 'race', what: 'holding', since }));

  const start = (candidate: string, by: string) => {
    const r: Racer = {
      by,
      code: null,
      stdout: '',
      stderr: '',
      tmp: mkdtempSync(path.join(os.tmpdir(), 'tfaml-racer-')),
    };
    const child = spawn(
      process.execPath,
      [path.join(repo, 'dist/cli.js'), 'promote', '--candidate', candidate, '--format', 'json'],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          TMPDIR: r.tmp,
          GIT_CEILING_DIRECTORIES: path.dirname(dir),
          GITHUB_REF: 'refs/heads/main',
          GITHUB_ACTOR: by,
        },
      },
    );
    child.stdout.on('data', (d) => (r.stdout += d));
    child.stderr.on('data', (d) => (r.stderr += d));
    const done = new Promise<Racer>((resolve) => child.on('close', (code) => resolve({ ...r, code })));
    let exited = false;
    void done.then(() => (exited = true));
    return { r, done, exited: () => exited, kill: () => child.kill('SIGKILL') };
  };
  const racers = [start('1', 'alice'), start('2', 'bob')];
  const problems: string[] = [];
  // Bounded: each racer reaches the publish in well under a second; a minute means something is wrong.
  const deadline = Date.now() + 60_000;
  const entered = (t: string) => readdirSync(t).some((f) => f.startsWith('tfaml-model-files-'));
  while (!racers.every((x) => entered(x.r.tmp))) {
    if (racers.some((x) => x.exited()) || Date.now() > deadline) {
      problems.push('a racer exited or stalled before reaching the publish while the lock was held');
      break;
    }
    await sleep(10);
  }
  rmSync(lock, { force: true });
  if (problems.length) for (const x of racers) if (!x.exited()) x.kill();
  const done = await Promise.all(racers.map((x) => x.done));
  for (const d of done) {
    try {
      d.doc = JSON.parse(d.stdout) as Racer['doc'];
    } catch {
      problems.push(`${d.by} printed no JSON report (exit ${d.code}): ${d.stderr.slice(0, 500)}`);
    }
  }
  const decisions = done.map((d) => d.doc?.decision ?? '?');
  const winner = done.find((d) => d.doc?.decision === 'promoted');
  const loser = done.find((d) => d.doc?.decision === 'lost');
  const versions = existsSync(models)
    ? readdirSync(models)
        .filter((f) => !f.startsWith('.'))
        .sort()
    : [];
  if ([...decisions].sort().join(',') !== 'lost,promoted')
    problems.push(`decisions were ${decisions.join(' and ')}, not one promoted and one lost`);
  if (winner && winner.code !== 0) problems.push(`the winner exited ${winner.code}, not 0`);
  if (loser && loser.code !== 1) problems.push(`the loser exited ${loser.code}, not 1`);
  const lostNote = loser?.doc?.notes?.at(-1);
  if (winner && loser) {
    const want = `lost the race to ${winner.by} promoted production 1.0.0 (from experiment:${MODEL}:`;
    if (!lostNote?.startsWith(want)) problems.push(`the loser's report does not name the winner: ${lostNote}`);
  }
  if (versions.join(',') !== '1.0.0') problems.push(`production holds ${versions.join(', ') || 'nothing'}, not 1.0.0`);
  const left = existsSync(models) ? readdirSync(models).filter((f) => f === '.lock' || f.includes('staging')) : [];
  if (left.length) problems.push(`left behind in the production folder: ${left.join(', ')}`);
  const champion = path.join(models, '.champion.json');
  if (existsSync(champion)) {
    const state = JSON.parse(readFileSync(champion, 'utf8')) as { champion: string; history: { by: string }[] };
    if (state.champion !== '1.0.0' || state.history.length !== 1 || state.history[0]!.by !== winner?.by)
      problems.push(`the champion log is not one entry by the winner: ${JSON.stringify(state)}`);
  } else problems.push('no champion log was written');
  for (const d of done) {
    const rest = readdirSync(d.tmp);
    if (rest.length) problems.push(`${d.by} left ${rest.join(', ')} in its temp folder`);
    rmSync(d.tmp, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  return { problems, decisions, winner: winner?.by, lostNote, versions };
}
