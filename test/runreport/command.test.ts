/**
 * `tfaml report` on a copy of examples/: runs found in the embedded experiment registry, in .tfaml/runs and (for a
 * run killed before it registered) in its checkpoint; the page written whole; bad input refused with exit 2.
 */
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localRegistries } from '../../src/adapters/local/registry.js';
import { report } from '../../src/commands/report.js';
import { ConfigurationError, UsageError } from '../../src/core/errors.js';
import { TAGS } from '../../src/core/tags.js';
import { capture, copyExample, inputs, tempDir } from '../helpers/project.js';
import { syntheticRun } from './fixtures.js';

const MODEL = 'flowers-classifier';
const clock = (iso: string) => ({ now: () => Date.parse(iso) });

/** A run as train leaves it: its folder under .tfaml/runs and its version in the experiment registry. */
async function trained(dir: string, runId: string, at: string, epochs = 4) {
  const s = syntheticRun(epochs, 3);
  const folder = path.join(dir, '.tfaml', 'runs', runId);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'metrics.json'), JSON.stringify(s.metrics));
  writeFileSync(path.join(folder, 'run.json'), JSON.stringify({ ...s.run, runId }));
  const metrics = { accuracy: s.metrics.accuracy as number, loss: s.metrics.loss as number };
  return localRegistries(dir, clock(at)).experiment.create({
    name: MODEL,
    files: folder,
    metrics,
    tags: { [TAGS.runId]: runId, [TAGS.gitSha]: 'abcdef1', [TAGS.target]: 'local' },
  });
}

const config = (dir: string) => path.join(dir, 'tfaml.yml');
const now = () => new Date('2026-11-30T00:00:00Z');

describe('tfaml report', () => {
  it('reports the latest run by default, into .tfaml/reports/<run id>/report.html', async () => {
    const dir = copyExample();
    await trained(dir, '20261101T000000-aaaaaa', '2026-11-01T00:00:00Z');
    await trained(dir, '20261102T000000-bbbbbb', '2026-11-02T00:00:00Z');
    const out = capture('action');
    expect(await report(inputs({ config: config(dir) }), out, { now })).toBe(0);
    const file = path.join(dir, '.tfaml', 'reports', '20261102T000000-bbbbbb', 'report.html');
    expect(out.outputs).toEqual({ path: file, 'run-id': '20261102T000000-bbbbbb' });
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<title>flowers-classifier version 2: run 20261102T000000-bbbbbb</title>');
    for (const id of ['loss', 'accuracy', 'confusion', 'per-class']) expect(html).toContain(`id="chart-${id}"`);
    expect(out.summaries[0]).toContain('| accuracy | 0.875 |');
    expect(out.summaries[0]).toContain('The full report: `.tfaml/reports/20261102T000000-bbbbbb/report.html`.');
  });

  it('picks a run by id or by experiment version, and with a decision, the candidate it judged', async () => {
    const dir = copyExample();
    await trained(dir, '20261101T000000-aaaaaa', '2026-11-01T00:00:00Z');
    await trained(dir, '20261102T000000-bbbbbb', '2026-11-02T00:00:00Z');
    const outFile = path.join(dir, 'out', 'r.html');
    for (const run of ['20261101T000000-aaaaaa', '1', `${MODEL}:1`]) {
      const out = capture();
      await report(inputs({ config: config(dir), run, out: outFile }), out, { now });
      expect(out.stdout).toContain(`✔ report for ${MODEL} version 1: run 20261101T000000-aaaaaa: ${outFile}`);
    }
    const decision = path.join(dir, 'decision.json');
    writeFileSync(decision, JSON.stringify({ ...syntheticRun(1, 1).decision, candidate: { version: '1' } }));
    const out = capture('action');
    await report(inputs({ config: config(dir), decision, format: 'json' }), out, { now });
    const doc = JSON.parse(out.stdout) as { report: { runId: string; decision: { decision: string } } };
    expect(doc.report.runId).toBe('20261101T000000-aaaaaa');
    expect(doc.report.decision.decision).toBe('rejected');
    expect(readFileSync(out.outputs.path!, 'utf8')).toContain('id="chart-gates"');
  });

  it('an unknown run is exit 2, listing the runs there are', async () => {
    const dir = copyExample();
    await trained(dir, '20261101T000000-aaaaaa', '2026-11-01T00:00:00Z');
    const p = report(inputs({ config: config(dir), run: 'nope' }), capture(), { now });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      '--run "nope": there is no such run of flowers-classifier; the runs there are: 20261101T000000-aaaaaa (version 1) (the latest is 20261101T000000-aaaaaa)',
    );
  });

  it('no runs at all, a named file that is not there, a page outside the project: exit 2', async () => {
    const dir = copyExample();
    await expect(report(inputs({ config: config(dir) }), capture(), { now })).rejects.toThrow(
      'there are no runs of flowers-classifier to report: the experiment registry has no version and .tfaml/runs no run folder; run tfaml train first',
    );
    await trained(dir, '20261101T000000-aaaaaa', '2026-11-01T00:00:00Z');
    await expect(report(inputs({ config: config(dir), cost: 'missing.json' }), capture(), { now })).rejects.toThrow(
      UsageError,
    );
    const outside = path.join(tempDir(), 'report.html');
    await expect(report(inputs({ config: config(dir), out: outside }), capture(), { now })).rejects.toThrow(
      /the out input \(--out\)/,
    );
    expect(existsSync(outside)).toBe(false);
  });

  it('a run killed mid-training: the checkpoint’s epochs, and what is missing', async () => {
    const dir = copyExample();
    await trained(dir, '20261101T000000-aaaaaa', '2026-11-01T00:00:00Z');
    const cp = path.join(dir, '.tfaml', 'checkpoints', `${MODEL}.json`);
    mkdirSync(path.dirname(cp), { recursive: true });
    const history = (syntheticRun(3, 2).metrics.history as unknown[]).slice(0, 3);
    writeFileSync(cp, JSON.stringify({ tfaml: 'checkpoint', version: 1, epoch: 3, history, weights: [] }));
    const out = capture('action');
    await report(inputs({ config: config(dir) }), out, { now });
    expect(out.outputs['run-id']).toBe('checkpoint');
    expect(out.stdout).toContain(
      'missing: the run stopped before it finished: its checkpoint after epoch 3 is all it left, so there are no final metrics, per-class results or confusion matrix\n  missing: no run.json and no registry version, so there is no lineage\n  charts: loss, accuracy\n',
    );
    const html = readFileSync(path.join(dir, '.tfaml', 'reports', 'checkpoint', 'report.html'), 'utf8');
    expect(html).toContain('id="chart-loss"');
    expect(html).toContain('Training and validation loss over 3 epochs.');
    // Once a later run finishes and registers, the old checkpoint is no longer the latest run.
    utimesSync(cp, new Date('2026-10-01T00:00:00Z'), new Date('2026-10-01T00:00:00Z'));
    const again = capture('action');
    await report(inputs({ config: config(dir) }), again, { now });
    expect(again.outputs['run-id']).toBe('20261101T000000-aaaaaa');
  });

  it('a metrics.json that is not JSON still gets a page that says so', async () => {
    const dir = copyExample();
    const v = await trained(dir, '20261101T000000-aaaaaa', '2026-11-01T00:00:00Z');
    writeFileSync(path.join(dir, '.tfaml', 'runs', '20261101T000000-aaaaaa', 'metrics.json'), '{"accuracy": 0.9,');
    const out = capture();
    // The registry's copy is whole: the run folder under .tfaml/runs is the one read first only when the registry
    // version has no metrics.json, so break that one too.
    writeFileSync(path.join(v.location, 'metrics.json'), '{"accuracy": 0.9,');
    await report(inputs({ config: config(dir) }), out, { now });
    expect(out.stdout).toMatch(/missing: metrics\.json \(.*metrics\.json\) could not be read: /);
    expect(
      readFileSync(path.join(dir, '.tfaml', 'reports', '20261101T000000-aaaaaa', 'report.html'), 'utf8'),
    ).toContain('Missing from this run');
  });
});
