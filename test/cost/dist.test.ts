/**
 * cost through the bundle as users run it: `node dist/cli.js cost` and `node dist/index.js` with a runner's
 * environment, posting to the local GitHub API. dist/ must be rebuilt from the sources (npm run build; CI checks it).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';
import { EXAMPLES, copyExample, patch, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');

// Asynchronous: the fake GitHub API in this process must keep answering while the bundle runs.
function node(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

describe('cost through dist/', () => {
  it('the CLI prints the markdown for examples/ from the snapshot', async () => {
    const r = await node(
      [path.join(ROOT, 'dist/cli.js'), 'cost', '--config', path.join(EXAMPLES, 'tfaml.yml'), '--prices', 'snapshot'],
      { PATH: process.env.PATH, NO_COLOR: '1' },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!-- tfaml-cost: flowers-classifier -->\n## tfaml cost: flowers-classifier\n/);
    expect(r.stdout).toContain('Prices from the offline snapshot');
  });

  it('the action posts one comment, masks the token, sets outputs, and fails (exit 1) over budget', async () => {
    gh = await startGitHubServer({ pulls: { 7: {} } });
    const dir = copyExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'size: Standard_NC6s_v3', 'size: Standard_ND96asr_v4');
    patch(dir, 'azureml/jobs/train.yml', 'instance_count: 1', 'instance_count: 4');
    const runner = tempDir('tfaml-runner-');
    const files = {
      out: path.join(runner, 'output'),
      summary: path.join(runner, 'summary'),
      event: path.join(runner, 'event.json'),
    };
    writeFileSync(files.out, '');
    writeFileSync(files.summary, '');
    writeFileSync(
      files.event,
      JSON.stringify({
        pull_request: { number: 7, head: { repo: { full_name: gh.repo } }, base: { repo: { full_name: gh.repo } } },
      }),
    );
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: files.out,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_WORKSPACE: dir,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REPOSITORY: gh.repo,
      GITHUB_API_URL: gh.url,
      INPUT_COMMAND: 'cost',
      INPUT_CONFIG: 'tfaml.yml',
      INPUT_PRICES: 'snapshot',
      'INPUT_GITHUB-TOKEN': 'ghs_not_a_real_token',
      'INPUT_POST-COMMENT': 'true',
    };
    const r = await node([path.join(ROOT, 'dist/index.js')], env, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::add-mask::ghs_not_a_real_token');
    expect(r.stdout).toMatch(/::error::tfaml: the verdict is negative/);
    expect(gh.writes.map((w) => w.method)).toEqual(['POST']);
    expect(gh.pulls.get(7)!.comments[0]!.body).toContain(
      '`cost.budget-usd` is $50.00: one training run is expected to cost',
    );
    expect(readFileSync(files.summary, 'utf8')).toContain('❌ over budget');
    const outputs = readFileSync(files.out, 'utf8');
    expect(outputs).toMatch(/^budget<<.+\nover\n/m);
    expect(outputs).toMatch(/^comment-url<<.+\nhttps:\/\/github.com\/acme\/flowers\/pull\/1#issuecomment-1000\n/m);
  });
});
