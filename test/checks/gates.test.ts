/** gate/unknown-metric: a misspelt gate fails the pull request, not the merge. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/commands/validate.js';
import { LOCAL_METRICS } from '../../src/train/metric-names.js';
import { capture, copyExample, inputs, patch } from '../helpers/project.js';

async function gateFindings(dir: string) {
  const out = capture();
  await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out);
  const r = JSON.parse(out.stdout) as { findings: { rule: string; severity: string; line: number; message: string }[] };
  return r.findings.filter((f) => f.rule === 'gate/unknown-metric');
}

describe('gate/unknown-metric', () => {
  it('the example gates read metrics the local trainer records', async () => {
    expect(await gateFindings(copyExample())).toEqual([]);
  });

  it('a misspelt gate on a local trainer: an error at its line with the nearest metric', async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'metric: latency_p95_ms', 'metric: latency_p95ms');
    expect(await gateFindings(dir)).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: `the local trainer records no metric "latency_p95ms"; did you mean latency_p95_ms? (it records ${LOCAL_METRICS.join(', ')})`,
      }),
    ]);
  });

  it('on Azure a job logs what it logs: an unusual name is a warning that says so', async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'target: local', 'target: azure');
    patch(
      dir,
      'tfaml.yml',
      'owners:',
      'workspace:\n  subscription-id: 00000000-0000-0000-0000-000000000000\n  resource-group: rg\n  name: ws\nowners:',
    );
    patch(dir, 'tfaml.yml', 'metric: latency_p95_ms', 'metric: top5_accuracy');
    process.env.TFAML_WORKSPACE_CHECKS = 'off';
    try {
      expect(await gateFindings(dir)).toEqual([
        expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/must log it with MLflow/) }),
      ]);
    } finally {
      delete process.env.TFAML_WORKSPACE_CHECKS;
    }
  });
});

describe('registry/ephemeral-production', () => {
  it('the embedded production registry on a GitHub-hosted runner is an error at registries.production', async () => {
    const dir = copyExample();
    process.env.RUNNER_ENVIRONMENT = 'github-hosted';
    try {
      const out = capture();
      await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out);
      const f = (JSON.parse(out.stdout) as { findings: { rule: string; file: string; message: string }[] }).findings;
      expect(f.filter((x) => x.rule === 'registry/ephemeral-production')).toEqual([
        expect.objectContaining({
          file: 'tfaml.yml',
          message: expect.stringMatching(/throws away with the job.*registry: <name>/),
        }),
      ]);
      process.env.RUNNER_ENVIRONMENT = 'self-hosted';
      const again = capture();
      await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), again);
      expect(again.stdout).not.toContain('registry/ephemeral-production');
    } finally {
      delete process.env.RUNNER_ENVIRONMENT;
    }
  });
});
