import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localProductionStore } from '../../src/adapters/local/production.js';
import { localRegistries } from '../../src/adapters/local/registry.js';
import { runContext, type RunContext } from '../../src/adapters/local/whoami.js';
import { promote, type PromoteDeps } from '../../src/commands/promote.js';
import { ConfigurationError, UsageError } from '../../src/core/errors.js';
import type { PromoteReport } from '../../src/gate/report.js';
import { type Clock, type ProductionModelRegistry } from '../../src/core/ports.js';
import { Production } from '../../src/promote/protocol.js';
import { capture, copyExample, inputs, patch, tempDir } from '../helpers/project.js';
import { OWNER_TAG, PROMOTE_TAGS, TAGS } from '../../src/core/tags.js';

const MODEL = 'flowers-classifier';
/** The production registry promote opens for `registries.production: local` (src/commands/promote.ts). */
const localProductionRegistry = (dir: string, c?: Clock) =>
  new Production(localProductionStore(dir, c), c ? { clock: c } : {});
const clock = { now: () => Date.parse('2026-11-29T12:00:00Z') };
const LINEAGE = {
  [TAGS.inputShape]: '[224,224,3]',
  [TAGS.classes]: '["daisy","dandelion","roses","sunflowers","tulips"]',
  [TAGS.data]: 'flowers:1',
  [TAGS.dataHash]: 'sha256:da7a',
  [TAGS.environment]: 'tf-gpu:3',
  [TAGS.hub]: 'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_100_224/feature_vector/3/default/1',
  [TAGS.hubHash]: 'sha256:4ub',
  [TAGS.gitSha]: 'train0sha',
  [TAGS.runId]: 'run-1',
};

/** An experiment version as train would register it, in the project's embedded experiment registry. */
async function candidate(
  dir: string,
  metrics: Record<string, number>,
  tags: Record<string, string> = {},
  content = JSON.stringify({ metrics, tags }),
) {
  const files = tempDir('tfaml-candidate-');
  writeFileSync(path.join(files, 'model.json'), content);
  writeFileSync(path.join(files, 'metrics.json'), JSON.stringify(metrics));
  return localRegistries(dir, clock).experiment.create({ name: MODEL, files, metrics, tags: { ...LINEAGE, ...tags } });
}

const onMain: RunContext = {
  branch: 'main',
  branchSource: 'GITHUB_REF',
  sha: 'promote0sha',
  by: 'alice',
  run: 'https://github.com/acme/flowers/actions/runs/1',
};
const deps = (ctx: Partial<RunContext> = {}, more: PromoteDeps = {}): PromoteDeps => ({
  clock,
  context: () => ({ ...onMain, ...ctx }),
  ...more,
});

async function run(
  dir: string,
  values: Record<string, string> = {},
  d: PromoteDeps = deps(),
  mode: 'cli' | 'action' = 'cli',
) {
  const out = capture(mode);
  const code = await promote(inputs({ config: path.join(dir, 'tfaml.yml'), ...values }), out, d);
  const report = JSON.parse(out.outputs['report-json'] ?? 'null') as PromoteReport;
  return { code, out, report };
}

const productionVersions = (dir: string) => {
  const p = path.join(dir, '.tfaml', 'production', 'models', MODEL);
  return existsSync(p)
    ? readdirSync(p)
        .filter((f) => !f.startsWith('.'))
        .sort()
    : [];
};

describe('promote', () => {
  it('first promotion on main: 1.0.0 with the evidence, change thresholds skipped and said, outputs set', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.91, loss: 0.3, latency_p95_ms: 42 });
    const { code, out, report } = await run(dir, {}, deps(), 'action');
    expect(code).toBe(0);
    expect(out.outputs.decision).toBe('promoted');
    expect(out.outputs['production-version']).toBe('1.0.0');
    expect(report.gates.map((g) => `${g.metric} ${g.kind} ${g.status}`)).toEqual([
      'accuracy min pass',
      'accuracy max-drop skipped',
      'latency_p95_ms max pass',
    ]);
    expect(report.notes).toContain(
      'no production champion yet: the change thresholds (max-drop, max-drop-pct) were skipped',
    );
    expect(out.stdout).toMatch(/^✅ promoted: flowers-classifier experiment version 1 → production 1\.0\.0\n/);
    expect(out.summaries[0]).toMatch(/^### tfaml promote: ✅ promoted/);

    const prod = localProductionRegistry(dir);
    const v = (await prod.champion(MODEL))!;
    expect(v.version).toBe('1.0.0');
    expect(v.metrics).toEqual({ accuracy: 0.91, loss: 0.3, latency_p95_ms: 42 });
    // The candidate's lineage, copied, and the gate evidence.
    expect(v.tags).toMatchObject(LINEAGE);
    expect(v.tags).toMatchObject({
      [PROMOTE_TAGS.source]: `experiment:${MODEL}:1`,
      [PROMOTE_TAGS.champion]: 'none',
      [PROMOTE_TAGS.championMetrics]: '{}',
      [PROMOTE_TAGS.bump]: 'initial: the first production version',
      [PROMOTE_TAGS.promoteSha]: 'promote0sha',
      [PROMOTE_TAGS.promotedBy]: 'alice',
      [PROMOTE_TAGS.reason]: 'all 3 gate thresholds passed (no champion yet)',
      [OWNER_TAG]: '@acme/ml-platform',
    });
    expect(JSON.parse(v.tags[PROMOTE_TAGS.gates]!)).toEqual([
      { metric: 'accuracy', kind: 'min', threshold: 0.7, candidate: '0.91', champion: '—', status: 'pass' },
      { metric: 'accuracy', kind: 'max-drop', threshold: 0.02, candidate: '0.91', champion: '—', status: 'skipped' },
      { metric: 'latency_p95_ms', kind: 'max', threshold: 500, candidate: '42', champion: '—', status: 'pass' },
    ]);
    expect(await prod.history(MODEL)).toEqual([
      expect.objectContaining({
        action: 'promote',
        version: '1.0.0',
        by: 'alice',
        run: onMain.run,
        candidate: `experiment:${MODEL}:1`,
      }),
    ]);
  });

  it("tags production with tfaml.yml's owners, not an owner tag the candidate carried", async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'owners: ["@acme/ml-platform"]', 'owners: ["@acme/ml-platform", "@acme/flowers"]');
    await candidate(dir, { accuracy: 0.91, loss: 0.3, latency_p95_ms: 42 }, { [OWNER_TAG]: '@someone' });
    expect((await run(dir)).code).toBe(0);
    const v = (await localProductionRegistry(dir).champion(MODEL))!;
    expect(v.tags[OWNER_TAG]).toBe('@acme/ml-platform @acme/flowers');
  });

  it('against the champion: a drop beyond max-drop is rejected with the reason, exit 1, nothing written', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.91, latency_p95_ms: 42 });
    expect((await run(dir)).code).toBe(0);
    await candidate(dir, { accuracy: 0.88, latency_p95_ms: 40 });
    const { code, out, report } = await run(dir, { format: 'json' });
    expect(code).toBe(1);
    expect(report.decision).toBe('rejected');
    expect(JSON.parse(out.stdout)).toEqual(report);
    const failed = report.gates.filter((g) => g.status === 'fail');
    expect(failed).toEqual([
      expect.objectContaining({
        metric: 'accuracy',
        kind: 'max-drop',
        candidate: 0.88,
        champion: 0.91,
        threshold: 0.02,
        reason: 'accuracy 0.88 is 0.03 lower than the champion 1.0.0 (0.91); at most 0.02 is allowed',
      }),
    ]);
    expect(report.notes).toContain('not promoted: 1 of 3 thresholds failed (accuracy max-drop); nothing was written');
    expect(productionVersions(dir)).toEqual(['1.0.0']);
    expect((await localProductionRegistry(dir).champion(MODEL))?.version).toBe('1.0.0');
  });

  it('follows the semver rule: patch, minor for new data, major for new classes', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.9, latency_p95_ms: 42 });
    await run(dir);
    await candidate(dir, { accuracy: 0.91, latency_p95_ms: 42 });
    expect((await run(dir)).report.productionVersion).toBe('1.0.1');
    await candidate(dir, { accuracy: 0.92, latency_p95_ms: 42 }, { [TAGS.data]: 'flowers:2' });
    const minor = await run(dir);
    expect(minor.report.productionVersion).toBe('1.1.0');
    expect(minor.report.bump).toMatchObject({ bump: 'minor', why: 'the data version changed: flowers:1 → flowers:2' });
    await candidate(
      dir,
      { accuracy: 0.92, latency_p95_ms: 42 },
      { [TAGS.data]: 'flowers:2', [TAGS.classes]: '["daisy","dandelion","roses","sunflowers","tulips","lilies"]' },
    );
    const major = await run(dir);
    expect(major.report.productionVersion).toBe('2.0.0');
    expect(major.out.stdout).toMatch(/version: 2\.0\.0 \(major: the class set changed: added lilies\)/);
    expect(productionVersions(dir)).toEqual(['1.0.0', '1.0.1', '1.1.0', '2.0.0']);
  });

  it('is idempotent: promoting the same candidate again yields the same version and no second copy', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.9, latency_p95_ms: 42 });
    const first = await run(dir, { candidate: '1' });
    const second = await run(dir, { candidate: `${MODEL}:1` }, deps(), 'action');
    expect(first.report.productionVersion).toBe('1.0.0');
    expect(second.code).toBe(0);
    expect(second.out.outputs).toMatchObject({ decision: 'unchanged', 'production-version': '1.0.0' });
    expect(second.report.notes, JSON.stringify(second.report.notes)).toContain(
      'production 1.0.0 already holds this candidate and is the champion; nothing to do',
    );
    expect(productionVersions(dir)).toEqual(['1.0.0']);
    expect(await localProductionRegistry(dir).history(MODEL)).toHaveLength(1);
  });

  it('off the promote branch it evaluates and reports, writes nothing, and says so', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.9, latency_p95_ms: 42 });
    const { code, out, report } = await run(dir, {}, deps({ branch: 'refs/pull/7/merge' }), 'action');
    expect(code).toBe(0);
    expect(out.outputs).toMatchObject({ decision: 'would-promote', 'production-version': '' });
    expect(report.written).toBe(false);
    expect(report.notes).toContain(
      'this is refs/pull/7/merge (from GITHUB_REF), not main: production is written only from promote.branch, so nothing was written',
    );
    expect(out.stdout).toMatch(
      /^✅ gates passed \(nothing written\): flowers-classifier experiment version 1 \(would be production 1\.0\.0\)/,
    );
    expect(existsSync(path.join(dir, '.tfaml', 'production'))).toBe(false);
  });

  it('a failing gate off the branch is still a negative verdict (exit 1)', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.5, latency_p95_ms: 42 });
    const { code, report } = await run(dir, {}, deps({ branch: 'feature/x', branchSource: 'git' }));
    expect(code).toBe(1);
    expect(report.decision).toBe('rejected');
  });

  it('NaN fails its gates by name; a metric the candidate lacks, with nothing near it, fails its gate by name', async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', '- metric: latency_p95_ms', '- metric: throughput_rps');
    patch(dir, 'tfaml.yml', 'max: 500', 'min: 10');
    await candidate(dir, { accuracy: Number.NaN, latency_p95_ms: 42 });
    const { code, report } = await run(dir);
    expect(code).toBe(1);
    expect(report.gates.filter((g) => g.status === 'fail').map((g) => `${g.kind}: ${g.reason}`)).toEqual([
      "min: the candidate's accuracy is NaN, not a finite number, so it cannot pass",
      "max-drop: the candidate's accuracy is NaN, not a finite number, so it cannot pass",
      'min: the candidate has no metric throughput_rps; it has accuracy, latency_p95_ms',
    ]);
    expect(productionVersions(dir)).toEqual([]);
  });

  describe('bad input: clear error, exit 2 (a ConfigurationError), nothing written', () => {
    it('a metric name typo in a gate names the nearest metric the candidate has, at its line in tfaml.yml', async () => {
      const dir = copyExample();
      patch(dir, 'tfaml.yml', '- metric: latency_p95_ms', '- metric: latency_p59_ms');
      await candidate(dir, { accuracy: 0.9, latency_p95_ms: 42 });
      const p = run(dir);
      await expect(p).rejects.toThrow(ConfigurationError);
      const err = (await p.catch((e: unknown) => e)) as ConfigurationError;
      expect(err.describe()).toBe(
        'tfaml.yml:51:13: gates[2].metric: the candidate has no metric latency_p59_ms (did you mean latency_p95_ms?); it has accuracy, latency_p95_ms; fix the metric name',
      );
      expect(existsSync(path.join(dir, '.tfaml', 'production'))).toBe(false);
    });

    it('an unknown candidate names the versions there are', async () => {
      const dir = copyExample();
      await candidate(dir, { accuracy: 0.9 });
      await candidate(dir, { accuracy: 0.91 });
      const p = run(dir, { candidate: '9' });
      await expect(p).rejects.toThrow(ConfigurationError);
      await expect(p).rejects.toThrow(
        'the local experiment registry (.tfaml/experiment) has no flowers-classifier version 9; it has 1, 2 (the latest is 2)',
      );
      await expect(run(dir, { candidate: 'other-model:1' })).rejects.toThrow(
        /--candidate other-model:1: write an experiment version of flowers-classifier, e.g\. 7 or flowers-classifier:7/,
      );
      expect(existsSync(path.join(dir, '.tfaml', 'production'))).toBe(false);
    });

    it('no candidate at all says to train first', async () => {
      await expect(run(copyExample())).rejects.toThrow(
        /has no versions of flowers-classifier; run `tfaml train` first/,
      );
    });

    it('gates that contradict each other (min above max) are rejected at their line', async () => {
      const dir = copyExample();
      patch(dir, 'tfaml.yml', '    min: 0.7', '    min: 0.9\n    max: 0.5');
      await candidate(dir, { accuracy: 0.9 });
      await expect(run(dir)).rejects.toThrow(
        /gates\[0\] for accuracy has min 0\.9 above max 0\.5, so nothing can pass/,
      );
    });

    it('a production registry that cannot be reached', async () => {
      const dir = copyExample();
      await candidate(dir, { accuracy: 0.9, latency_p95_ms: 1 });
      writeFileSync(path.join(dir, '.tfaml', 'production'), 'a file where the registry should be');
      await expect(run(dir)).rejects.toThrow(
        /the local production registry \(\.tfaml\/production\) cannot be reached at .* \(ENOTDIR\)/,
      );
    });

    it('an Azure production registry this build cannot write yet is named at its line', async () => {
      const dir = copyExample();
      patch(dir, 'tfaml.yml', '    local: true', '    registry: mlr-prod');
      const p = run(dir);
      await expect(p).rejects.toThrow(
        /registries\.production is the Azure ML registry mlr-prod, which this build of tfaml cannot write yet/,
      );
      await expect(p).rejects.toMatchObject({ location: { file: 'tfaml.yml', line: expect.any(Number) } });
    });

    it('bad flags', async () => {
      const dir = copyExample();
      await expect(run(dir, { rollback: '1.0.0' })).rejects.toThrow(UsageError);
      await expect(run(dir, { rollback: '1.0.0' })).rejects.toThrow(
        'rollback 1.0.0 needs a reason (--reason, or the reason input): say why, it is recorded in the production history with who did it',
      );
      await expect(run(dir, { rollback: '1.0.0', candidate: '1', reason: 'x' })).rejects.toThrow(
        /either --candidate .* or --rollback/,
      );
      await expect(run(dir, { format: 'xml' })).rejects.toThrow(/input format is "xml"; it must be one of text, json/);
    });
  });

  it('rollback makes an earlier version the champion with who and why; a second run shows the change threshold against it', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.8, latency_p95_ms: 42 });
    await run(dir);
    await candidate(dir, { accuracy: 0.95, latency_p95_ms: 42 });
    await run(dir);
    await expect(run(dir, { rollback: '3.0.0', reason: 'x' })).rejects.toThrow(
      /has no flowers-classifier version 3\.0\.0; it has 1\.0\.0, 1\.0\.1/,
    );

    const off = await run(
      dir,
      { rollback: '1.0.0', reason: 'bad in prod' },
      deps({ branch: 'feature/x', branchSource: 'git' }),
    );
    expect(off.code).toBe(0);
    expect(off.report.decision).toBe('would-roll-back');
    expect(off.out.stdout).toMatch(/^↩️ rollback not written: flowers-classifier → production 1\.0\.0/);
    expect((await localProductionRegistry(dir).champion(MODEL))?.version).toBe('1.0.1');

    const r = await run(
      dir,
      { rollback: '1.0.0', reason: 'latency regression in prod' },
      deps({ by: 'dave' }),
      'action',
    );
    expect(r.code).toBe(0);
    expect(r.out.outputs).toMatchObject({ decision: 'rolled-back', 'production-version': '1.0.0' });
    expect(r.report.notes).toEqual([
      'production 1.0.0 is the champion again (was 1.0.1); recorded as dave: latency regression in prod',
    ]);
    const history = await localProductionRegistry(dir).history(MODEL);
    expect(history.at(-1)).toMatchObject({
      action: 'rollback',
      version: '1.0.0',
      previous: '1.0.1',
      by: 'dave',
      reason: 'latency regression in prod',
    });

    // The champion is 1.0.0 (accuracy 0.8) again: a candidate at 0.77 is 0.03 below it.
    await candidate(dir, { accuracy: 0.77, latency_p95_ms: 42 });
    const next = await run(dir);
    expect(next.code).toBe(1);
    expect(next.report.gates[1]!.reason).toBe(
      'accuracy 0.77 is 0.03 lower than the champion 1.0.0 (0.8); at most 0.02 is allowed',
    );
  });

  it('a rolled-back model is not re-promoted by the next push; rolling forward is deliberate', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.8, latency_p95_ms: 42 });
    await run(dir);
    await candidate(dir, { accuracy: 0.95, latency_p95_ms: 42 });
    await run(dir);
    await run(dir, { rollback: '1.0.0', reason: 'wrong labels in prod' }, deps({ by: 'dave' }));
    // The latest experiment version is still the one production 1.0.1 holds: it passes the gates, but was rolled back.
    const again = await run(dir);
    expect(again.code).toBe(1);
    expect(again.report.decision).toBe('rejected');
    expect(again.report.notes.at(-1)).toMatch(
      /^this candidate is production 1\.0\.1, which dave rolled back on .* \(wrong labels in prod\); nothing was written\. Train a new candidate, or restore it deliberately: tfaml promote --rollback 1\.0\.1 --reason/,
    );
    expect((await localProductionRegistry(dir).champion(MODEL))?.version).toBe('1.0.0');
    const forward = await run(dir, { rollback: '1.0.1', reason: 'labels fixed upstream' });
    expect(forward.report.decision).toBe('rolled-back');
    expect((await localProductionRegistry(dir).champion(MODEL))?.version).toBe('1.0.1');
  });

  it('two promotions racing: exactly one new version, the loser reports that it lost and to whom (exit 1)', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.9, latency_p95_ms: 42 });
    await candidate(dir, { accuracy: 0.91, latency_p95_ms: 42 });
    // Both evaluate against "no champion", then publish at the same time.
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((r) => (release = r));
    const racing = (): ProductionModelRegistry => {
      const real = localProductionRegistry(dir, clock);
      return {
        description: real.description,
        list: (n) => real.list(n),
        get: (n, v) => real.get(n, v),
        create: (v) => real.create(v),
        champion: (n) => real.champion(n),
        history: (n) => real.history(n),
        rollback: (n, v, a) => real.rollback(n, v, a),
        publish: async (req) => {
          if (++arrived === 2) release();
          await barrier;
          return real.publish(req);
        },
      };
    };
    const [a, b] = await Promise.all([
      run(dir, { candidate: '1' }, deps({ by: 'alice' }, { production: racing })),
      run(dir, { candidate: '2' }, deps({ by: 'bob' }, { production: racing })),
    ]);
    const results = [a, b].map((r) => r.report.decision).sort();
    expect(results).toEqual(['lost', 'promoted']);
    const loser = a.report.decision === 'lost' ? a : b;
    const winner = a.report.decision === 'lost' ? 'bob' : 'alice';
    expect(loser.code).toBe(1);
    expect(loser.report.notes.at(-1)).toMatch(
      new RegExp(
        `^lost the race to ${winner} promoted production 1\\.0\\.0 \\(from experiment:flowers-classifier:\\d\\) at 2026-11-29T12:00:00\\.000Z: the champion changed from none to 1\\.0\\.0 while experiment:flowers-classifier:\\d was being evaluated; nothing was written`,
      ),
    );
    expect(loser.out.stdout).toMatch(/^❌ lost the race: /);
    expect(productionVersions(dir)).toEqual(['1.0.0']);
  });
});

describe('runContext: where promote runs', () => {
  it('takes the branch from GITHUB_REF, and the actor and run from the runner', () => {
    const ctx = runContext(tempDir(), {
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'abc',
      GITHUB_ACTOR: 'octocat',
      GITHUB_REPOSITORY: 'acme/flowers',
      GITHUB_RUN_ID: '42',
    });
    expect(ctx).toEqual({
      branch: 'main',
      branchSource: 'GITHUB_REF',
      sha: 'abc',
      by: 'octocat',
      run: 'https://github.com/acme/flowers/actions/runs/42',
    });
    expect(runContext(tempDir(), { GITHUB_REF: 'refs/pull/7/merge' }).branch).toBe('refs/pull/7/merge');
  });

  it('on the CLI, from the git checkout; outside one, no branch at all', () => {
    const dir = tempDir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q', '-b', 'feature/x');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'x');
    expect(runContext(dir, {})).toMatchObject({
      branch: 'feature/x',
      branchSource: 'git',
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const bare = path.join(tempDir(), 'nogit');
    mkdirSync(bare);
    expect(runContext(bare, { GIT_CEILING_DIRECTORIES: path.dirname(bare) })).toMatchObject({
      branch: expect.stringMatching(/^\(not a git checkout\)$|^/),
      sha: expect.any(String),
    });
    expect(readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/feature/x\n');
  });
});
