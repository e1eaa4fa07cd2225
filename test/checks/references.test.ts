/** job/unknown-reference: validate, the one PR gate, catches a reference only a later verb would trip over. */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lock } from '../../src/commands/lock.js';
import { validate } from '../../src/commands/validate.js';
import { capture, copyExample, inputs, patch } from '../helpers/project.js';

afterEach(() => vi.unstubAllEnvs());

async function findings(dir: string) {
  const out = capture();
  await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out);
  const r = JSON.parse(out.stdout) as {
    findings: { rule: string; severity: string; file: string; line: number; message: string }[];
  };
  return r.findings.filter((f) => f.rule === 'job/unknown-reference');
}

async function locked() {
  const dir = copyExample();
  await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), capture());
  return dir;
}

describe('job/unknown-reference', () => {
  it('the example is clean', async () => {
    expect(await findings(await locked())).toEqual([]);
  });

  it('a compute no listed file defines: an error at its line, with the nearest name', async () => {
    const dir = await locked();
    patch(dir, 'azureml/jobs/train.yml', 'azureml:gpu-cluster', 'azureml:gpu-clustr');
    expect(await findings(dir)).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'azureml/jobs/train.yml',
        message: expect.stringMatching(
          /^compute "gpu-clustr" is not defined in tfaml\.yml or tfaml\.lock; did you mean gpu-cluster\?/,
        ),
      }),
    ]);
  });

  it('an environment version and a data version nothing defines', async () => {
    const dir = await locked();
    patch(dir, 'azureml/jobs/train.yml', 'azureml:tf-gpu:3', 'azureml:tf-gpu:4');
    patch(dir, 'azureml/jobs/train.yml', 'azureml:flowers:1', 'azureml:flowers:2');
    const f = await findings(dir);
    expect(f.map((x) => x.message)).toEqual([
      expect.stringMatching(/^environment "tf-gpu:4" is not defined .*known: tf-gpu:3\)$/),
      expect.stringMatching(/^input "data" uses data "flowers:2", which is not defined .*known: flowers:1\)$/),
    ]);
  });

  it('with a workspace the asset may be registered there: a warning that says to list it', async () => {
    vi.stubEnv('TFAML_WORKSPACE_CHECKS', 'off');
    const dir = await locked();
    patch(
      dir,
      'tfaml.yml',
      'owners:',
      'workspace:\n  subscription-id: 00000000-0000-0000-0000-000000000000\n  resource-group: rg\n  name: ws\nowners:',
    );
    patch(dir, 'azureml/jobs/train.yml', 'azureml:gpu-cluster', 'azureml:shared-cluster');
    expect(await findings(dir)).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/list its file in tfaml\.yml/) }),
    ]);
  });
});
