/**
 * One writer for runner output, end to end: hostile values in every kind of field a message can carry — an image, a
 * package spec, a version, a compute and VM size, an endpoint, a deployment, a data path, a metric name, a
 * suppression reason, an owner — run through the action's entry (src/entries/main.ts runAction, as dist/index.js runs it)
 * and leave exactly the workflow commands tfaml means: its annotations and its failure, never one of theirs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAction } from '../../src/entries/main.js';
import { copyExample, patch, tempDir } from '../helpers/project.js';

const FORGE = (tag: string) => `${tag}\n::warning title=forged-${tag}::x\r::add-mask::${tag}\n##[error]legacy-${tag}`;
const q = (v: string) => JSON.stringify(v);

/** Every line the runner would parse as a command, from all it was given. */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::') || l.includes('##['));
}

async function runAsAction(dir: string, command: string, extra: Record<string, string> = {}) {
  const run = tempDir('tfaml-run-');
  const outputs = path.join(run, 'output');
  const summary = path.join(run, 'summary');
  writeFileSync(outputs, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputs,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: path.join(run, 'tmp'),
    INPUT_COMMAND: command,
    INPUT_CONFIG: path.join(dir, 'tfaml.yml'),
    INPUT_PRICES: 'snapshot',
    'INPUT_POST-COMMENT': 'false',
    ...extra,
  };
  mkdirSync(env.RUNNER_TEMP!, { recursive: true });
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  let written = '';
  const capture = (chunk: string | Uint8Array) => ((written += String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  let code: number;
  try {
    code = await runAction();
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
  return { code, written, summary: readFileSync(summary, 'utf8') };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The command (and title) of each command line, e.g. `::error title=env/unpinned-image`. */
const heads = (lines: string[]) =>
  lines.map((c) => c.slice(0, c.indexOf('::', 2) < 0 ? undefined : c.indexOf('::', 2)).replace(/,(file|line)=.*$/, ''));

describe('hostile values in every field', () => {
  it('validate: image, package spec, version, compute, endpoint, deployment, suppression reason', async () => {
    const dir = copyExample();
    patch(dir, 'azureml/environments/tf-gpu.yml', /^image: .*$/m, `image: ${q(`x:latest ${FORGE('image')}`)}`);
    patch(dir, 'azureml/environments/conda.yml', '- pillow==10.3.0', `- ${q(`pillow>=10 ${FORGE('pip')}`)}`);
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 1');
    patch(
      dir,
      'azureml/compute/gpu-cluster.yml',
      'tier: dedicated',
      `tier: dedicated\ndescription: ${q(FORGE('compute'))}`,
    );
    patch(dir, 'azureml/endpoints/blue.yml', 'name: blue', `name: ${q(FORGE('deployment'))}`);
    patch(dir, 'azureml/endpoints/blue.yml', 'endpoint_name: flowers', `endpoint_name: ${q(FORGE('endpoint'))}`);
    patch(
      dir,
      'tfaml.yml',
      'promote:',
      `suppress:\n  - rule: env/unpinned-package\n    path: azureml/environments/conda.yml\n    reason: ${q(FORGE('reason'))}\n\npromote:`,
    );
    const r = await runAsAction(dir, 'validate');
    expect(r.code).toBe(1);
    expect(r.written).toContain('forged-image'); // shown, as text
    const lines = commandLines(r.written);
    for (const h of heads(lines))
      expect(h).toMatch(/^::(error|warning)( title=([a-z]+\/[a-z-]+|tfaml%3A unusable input))?$/);
    expect(heads(lines).join('\n')).not.toMatch(/forged|add-mask|set-output|stop-commands/);
    expect(r.summary).not.toMatch(/\n::/);
  });

  it('cost: a VM size and a deployment name in the error and the report', async () => {
    const dir = copyExample();
    patch(dir, 'azureml/endpoints/blue.yml', 'name: blue', `name: ${q(FORGE('deployment'))}`);
    const ok = await runAsAction(dir, 'cost', { GITHUB_EVENT_NAME: 'workflow_dispatch' });
    expect(ok.code).toBe(0);
    expect(commandLines(ok.written)).toEqual([]);
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3', `size: ${q(FORGE('size'))}`);
    const bad = await runAsAction(dir, 'cost', { GITHUB_EVENT_NAME: 'workflow_dispatch' });
    expect(bad.code).toBe(2);
    const lines = commandLines(bad.written);
    for (const h of heads(lines)) expect(h).toMatch(/^::error( title=tfaml%3A unusable input)?$/);
    expect(heads(lines).join('\n')).not.toMatch(/forged|add-mask/);
  });

  it('promote: a metric name in a gate', async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'metric: latency_p95_ms', `metric: ${q(FORGE('metric'))}`);
    const r = await runAsAction(dir, 'promote', {
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_REF: 'refs/heads/main',
    });
    expect([1, 2]).toContain(r.code);
    const lines = commandLines(r.written);
    for (const h of heads(lines)) expect(h).toMatch(/^::(error|warning|notice)( title=[^:]*)?$/);
    expect(heads(lines).join('\n')).not.toMatch(/forged|add-mask/);
  });
});
