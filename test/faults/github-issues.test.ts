/**
 * The audit's one issue on GitHub (syncIssue in src/adapters/github/code-host.ts) through real Octokit against the
 * local GitHub API (test/fakes/github-server.ts): a closed issue of ours is reopened rather than duplicated, and a
 * create whose answer was lost to a 5xx is looked up again, never posted twice. Waits are recorded, not slept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gitHubCodeHost } from '../../src/adapters/github/code-host.js';
import { describeFailure } from '../../src/entries/main.js';
import { startGitHubServer, type FakeIssue, type GitHubServer } from '../fakes/github-server.js';

const MARK = '<!-- tfaml-audit: mlw-dev -->';
const BOT = 'github-actions[bot]';
let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function host(opts: Parameters<typeof startGitHubServer>[0] = {}) {
  gh = await startGitHubServer({ repo: 'acme/flowers', ...opts });
  const waits: number[] = [];
  const h = gitHubCodeHost({
    token: 'tok',
    repository: gh.repo,
    baseUrl: gh.url,
    perPage: 2,
    sleep: async (ms) => void waits.push(ms),
  });
  return { h, waits };
}

const issue = (over: Partial<Omit<FakeIssue, 'number'>>): Omit<FakeIssue, 'number'> => ({
  title: 'tfaml audit: old',
  body: `${MARK}\nold findings`,
  state: 'closed',
  user: { login: BOT },
  ...over,
});
const issues = () => [...gh!.issues.values()];
const creates = () => gh!.requests.filter((r) => r.method === 'POST' && r.url === '/repos/acme/flowers/issues');

describe('the audit issue', () => {
  it('findings again after a clean audit closed the issue: that issue is reopened and updated, none created', async () => {
    const { h } = await host({
      issues: [
        issue({ title: 'older of ours', body: `${MARK}\nolder` }),
        issue({}),
        issue({ title: 'not ours', state: 'closed', user: { login: 'mallory' } }),
        issue({ title: 'another marker', body: '<!-- tfaml-audit: mlw-prod -->\n' }),
        issue({ title: 'someone', body: 'unrelated', state: 'open', user: { login: 'alice' } }),
      ],
    });
    const r = await h.syncIssue(MARK, 'tfaml audit: 1 error', `${MARK}\nnew findings`);
    expect(r).toEqual({ action: 'reopened', url: 'https://github.com/acme/flowers/issues/2' });
    expect(gh!.issues.get(2)).toMatchObject({
      title: 'tfaml audit: 1 error',
      body: `${MARK}\nnew findings`,
      state: 'open',
      state_reason: 'reopened',
    });
    // The most recently updated of ours; the older one stays as it was, and nothing was created.
    expect(gh!.issues.get(1)).toMatchObject({ title: 'older of ours', state: 'closed' });
    expect(issues()).toHaveLength(5);
    expect(creates()).toEqual([]);
    // Closed issues are asked for most recently updated first.
    expect(gh!.requests.some((q) => /state=closed&sort=updated&direction=desc/.test(q.url))).toBe(true);

    // Open now: the next run updates it in place, and a clean one closes it again.
    expect((await h.syncIssue(MARK, 'tfaml audit: 2 errors', `${MARK}\nmore`)).action).toBe('updated');
    expect(await h.syncIssue(MARK, 'tfaml audit', undefined)).toMatchObject({ action: 'closed' });
    expect(gh!.issues.get(2)).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('an open issue of ours is updated, not a closed one reopened', async () => {
    const { h } = await host({ issues: [issue({ title: 'open one', state: 'open' }), issue({})] });
    expect(await h.syncIssue(MARK, 't', `${MARK}\nx`)).toMatchObject({ action: 'updated' });
    expect(issues().map((i) => [i.number, i.state, i.title])).toEqual([
      [1, 'open', 't'],
      [2, 'closed', 'tfaml audit: old'],
    ]);
  });

  it('a clean audit with only a closed issue leaves it closed', async () => {
    const { h } = await host({ issues: [issue({})] });
    expect(await h.syncIssue(MARK, 't', undefined)).toEqual({ action: 'none' });
    expect(gh!.writes).toEqual([]);
  });

  it('a 5xx on create after GitHub created the issue: looked up again and updated, never opened twice', async () => {
    const { h, waits } = await host({
      faults: [{ method: 'POST', path: /\/issues$/, times: 1, status: 502, afterWrite: true }],
    });
    const r = await h.syncIssue(MARK, 'tfaml audit: 1 error', `${MARK}\nfindings`);
    expect(r).toEqual({ action: 'updated', url: `https://github.com/acme/flowers/issues/1` });
    expect(issues()).toEqual([
      { number: 1, title: 'tfaml audit: 1 error', body: `${MARK}\nfindings`, state: 'open', user: { login: BOT } },
    ]);
    expect(gh!.writes.map((w) => w.method)).toEqual(['POST', 'PATCH']);
    expect(waits).toEqual([1000]);
  });

  it('a create that keeps failing with 5xx: a bounded number of tries, then exit 3, no issue', async () => {
    const { h } = await host({ faults: [{ method: 'POST', path: /\/issues$/, times: 1000, status: 500 }] });
    const err = await h.syncIssue(MARK, 't', `${MARK}\nx`).catch((e: unknown) => e);
    const f = describeFailure(err);
    expect(f.exitCode).toBe(3);
    expect(f.message).toMatch(/^GitHub \(POST issue\) still failing after 4 tries: HTTP 500/);
    expect(creates()).toHaveLength(4);
    expect(issues()).toEqual([]);
  });
});
