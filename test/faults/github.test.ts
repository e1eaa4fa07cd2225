/**
 * The fault matrix of the GitHub side of cost (issue 11, item 2): the cost command end to end on a copy of
 * examples/, posting through real Octokit (src/adapters/github/code-host.ts) to the local GitHub API, which fails the
 * way GitHub does. Each row asserts the end state: what was written (never twice), what the user was told, and the
 * exit code the entries give the failure (describeFailure in src/entries/main.ts, which both dist/cli.js and dist/index.js
 * use). Waits are recorded, not slept.
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gitHubCodeHost } from '../../src/adapters/github/code-host.js';
import { cost } from '../../src/commands/cost.js';
import { describeFailure } from '../../src/entries/main.js';
import { secondaryRateLimit, startGitHubServer, type GitHubFault, type GitHubServer } from '../fakes/github-server.js';
import { capture, copyExample, inputs } from '../helpers/project.js';

const MARK = '<!-- tfaml-cost: flowers-classifier -->';
let gh: GitHubServer | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await gh?.close();
  gh = undefined;
});

interface Row {
  code: number;
  /** What the user reads: stderr for a failure (describeFailure's message), else the job summary. */
  told: string;
  notices: string[];
  waits: number[];
  summaries: string[];
}

/** cost on pull request 7 of acme/flowers with a token, as the action runs it; the failure mapped as the entries do. */
async function runCost(opts: Parameters<typeof startGitHubServer>[0], pr = '7'): Promise<Row> {
  gh = await startGitHubServer(opts);
  vi.stubEnv('GITHUB_REPOSITORY', gh.repo);
  const notices: string[] = [];
  const waits: number[] = [];
  const host = gitHubCodeHost({
    token: 'tok',
    repository: gh.repo,
    baseUrl: gh.url,
    notice: (m) => void notices.push(m),
    sleep: async (ms) => void waits.push(ms),
  });
  const out = capture('action');
  const values = { config: path.join(copyExample(), 'tfaml.yml'), prices: 'snapshot', 'github-token': 'tok' };
  try {
    const code = await cost(inputs({ ...values, 'pr-number': pr }), out, { mask: () => {}, codeHost: host });
    return { code, told: out.summaries.join('\n'), notices, waits, summaries: out.summaries };
  } catch (e) {
    const f = describeFailure(e);
    return { code: f.exitCode, told: f.message, notices, waits, summaries: out.summaries };
  }
}

const comments = () => gh!.pulls.get(7)!.comments;
const posts = () => gh!.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/comments'));

describe('cost against a failing GitHub', () => {
  it('403 read-only token (a fork): the report goes to the job summary with a notice; exit 0, nothing written', async () => {
    const r = await runCost({ pulls: { 7: {} }, readOnly: true });
    expect(r.code).toBe(0);
    expect(r.notices).toEqual([expect.stringMatching(/^tfaml cost: no comment on #7: the token is read-only/)]);
    expect(r.told).toContain('No pull request comment: the token may not write to #7');
    expect(r.told).toContain('## tfaml cost: flowers-classifier');
    expect(gh!.writes).toEqual([]);
    expect(r.waits).toEqual([]);
  });

  it('404 unknown pull request: exit 2 naming it, before anything is written or summarised', async () => {
    const r = await runCost({ pulls: { 7: {} } }, '8');
    expect(r.code).toBe(2);
    expect(r.told).toMatch(/pull request #8 was not found in acme\/flowers \(HTTP 404\)/);
    expect(gh!.writes).toEqual([]);
    expect(r.summaries).toEqual([]);
  });

  it('422 on create: a clear error naming the pull request and what GitHub refused; nothing posted', async () => {
    const fault: GitHubFault = {
      method: 'POST',
      path: /\/comments$/,
      times: 1,
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'Body is too long (maximum is 65536 characters)',
          },
        ],
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '422',
      },
    };
    const r = await runCost({ pulls: { 7: {} }, faults: [fault] });
    expect(r.code).toBe(4);
    expect(r.told).toContain(
      'GitHub refused the comment on #7 in acme/flowers (HTTP 422 Validation Failed: body: Body is too long (maximum is 65536 characters)); the report was not posted',
    );
    expect(comments()).toEqual([]);
    expect(posts()).toHaveLength(1);
  });

  it('secondary rate limit: waited out (retry-after) and retried; exactly one comment', async () => {
    const r = await runCost({ pulls: { 7: {} }, faults: [secondaryRateLimit(2, '3', 'POST')] });
    expect(r.code).toBe(0);
    expect(r.waits).toEqual([3000, 3000]);
    expect(posts().map((p) => p.status)).toEqual([403, 403, 201]);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body.startsWith(MARK)).toBe(true);
  });

  it('secondary rate limit that does not lift: a bounded number of tries, then exit 3, safe to re-run', async () => {
    const r = await runCost({ pulls: { 7: {} }, faults: [secondaryRateLimit(1000, '1')] });
    expect(r.code).toBe(3);
    expect(r.told).toMatch(
      /^GitHub \(GET \/repos\/acme\/flowers\/issues\/7\/labels\) still refused after 4 tries: HTTP 403 You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\. If you reach out to GitHub Support for help, please include the request ID 0400:1F2E:3D4C:5B6A:7988\nNothing was changed/,
    );
    expect(r.told).toContain('it is safe to run again as is');
    expect(r.waits).toEqual([1000, 1000, 1000]);
    expect(gh!.requests).toHaveLength(4);
    expect(gh!.writes).toEqual([]);
  });

  it('a retry-after longer than tfaml waits: exit 3 at once, not a long sleep', async () => {
    const r = await runCost({ pulls: { 7: {} }, faults: [secondaryRateLimit(1000, '3600')] });
    expect(r.code).toBe(3);
    expect(r.told).toMatch(/asked to wait 3600 s, longer than the 120 s tfaml waits/);
    expect(r.waits).toEqual([]);
    expect(gh!.requests).toHaveLength(1);
  });

  it('5xx that heals: retried with backoff; one comment', async () => {
    const r = await runCost({
      pulls: { 7: {} },
      faults: [{ method: 'GET', path: /\/comments$/, times: 2, status: 502 }],
    });
    expect(r.code).toBe(0);
    expect(r.waits).toEqual([1000, 2000]);
    expect(comments()).toHaveLength(1);
  });

  it('5xx after retries: exit 3, nothing posted', async () => {
    const r = await runCost({ pulls: { 7: {} }, faults: [{ path: /\/comments$/, times: 1000, status: 503 }] });
    expect(r.code).toBe(3);
    expect(r.told).toMatch(/still refused after 4 tries: HTTP 503/);
    expect(comments()).toEqual([]);
    expect(posts()).toEqual([]);
  });

  it('a 5xx on create after GitHub created the comment: looked up again and updated, never posted twice', async () => {
    const r = await runCost({
      pulls: { 7: {} },
      faults: [{ method: 'POST', path: /\/comments$/, times: 1, status: 502, afterWrite: true }],
    });
    expect(r.code).toBe(0);
    expect(comments()).toHaveLength(1);
    expect(gh!.writes.map((w) => w.method)).toEqual(['POST', 'PATCH']);
    expect(r.waits).toEqual([1000]);
  });

  it('a create that keeps failing with 5xx: a bounded number of tries, exit 3, nothing posted', async () => {
    const r = await runCost({
      pulls: { 7: {} },
      faults: [{ method: 'POST', path: /\/comments$/, times: 1000, status: 500 }],
    });
    expect(r.code).toBe(3);
    expect(r.told).toMatch(/^GitHub \(POST comment on #7\) still failing after 4 tries: HTTP 500/);
    expect(posts()).toHaveLength(4);
    expect(comments()).toEqual([]);
  });
});
