import { afterEach, describe, expect, it } from 'vitest';
import { gitHubCodeHost } from '../../src/adapters/github/code-host.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';
import { ReadOnlyTokenError } from '../../src/core/errors.js';

let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

const MARK = '<!-- tfaml-cost: p -->';
const others = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, body: `comment ${i + 1}`, user: { login: 'someone' } }));

describe('the GitHub code host, real Octokit against a local GitHub API', () => {
  it('creates the comment when no comment carries the marker, reading every page first', async () => {
    gh = await startGitHubServer({ pulls: { 7: { comments: others(5) } } });
    const host = gitHubCodeHost({ token: 't0ken', repository: gh.repo, baseUrl: gh.url, perPage: 2, notice: () => {} });
    const r = await host.upsertComment(7, MARK, `${MARK}\nhello`);
    expect(r.action).toBe('created');
    expect(gh.requests.filter((q) => q.method === 'GET').map((q) => q.url)).toEqual([
      '/repos/acme/flowers/issues/7/comments?per_page=2',
      '/repos/acme/flowers/issues/7/comments?per_page=2&page=2',
      '/repos/acme/flowers/issues/7/comments?per_page=2&page=3',
    ]);
    expect(gh.requests[0]!.auth).toBe('token t0ken');
    expect(gh.pulls.get(7)!.comments.at(-1)!.body).toBe(`${MARK}\nhello`);
  });

  it('updates the one marked comment in place, found on a later page, and stops paging there', async () => {
    gh = await startGitHubServer({
      pulls: {
        7: {
          comments: [
            ...others(3),
            { id: 50, body: `${MARK}\nold`, user: { login: 'github-actions[bot]' } },
            ...others(4),
          ],
        },
      },
    });
    const host = gitHubCodeHost({ token: 't', repository: gh.repo, baseUrl: gh.url, perPage: 2, notice: () => {} });
    const r = await host.upsertComment(7, MARK, `${MARK}\nnew`);
    expect(r).toEqual({ action: 'updated', url: expect.stringContaining('issuecomment-50') });
    expect(gh.writes).toEqual([
      { method: 'PATCH', url: '/repos/acme/flowers/issues/comments/50', body: `${MARK}\nnew` },
    ]);
    expect(gh.requests.filter((q) => q.method === 'GET')).toHaveLength(2);
    expect(gh.pulls.get(7)!.comments).toHaveLength(8);
  });

  it('reads labels', async () => {
    gh = await startGitHubServer({ pulls: { 7: { labels: ['cost-approved', 'ml'] } } });
    expect(await gitHubCodeHost({ token: 't', repository: gh.repo, baseUrl: gh.url }).labels(7)).toEqual([
      'cost-approved',
      'ml',
    ]);
  });

  it('a read-only token (fork) is ReadOnlyTokenError; nothing is written', async () => {
    gh = await startGitHubServer({ pulls: { 7: {} }, readOnly: true });
    const host = gitHubCodeHost({ token: 't', repository: gh.repo, baseUrl: gh.url });
    await expect(host.upsertComment(7, MARK, 'x')).rejects.toThrow(ReadOnlyTokenError);
    await expect(host.upsertComment(7, MARK, 'x')).rejects.toThrow(/Resource not accessible by integration/);
    expect(gh.writes).toEqual([]);
  });

  it('an unknown pull request is a ConfigurationError (exit 2) that names it', async () => {
    gh = await startGitHubServer({ pulls: { 7: {} } });
    const host = gitHubCodeHost({ token: 't', repository: gh.repo, baseUrl: gh.url });
    await expect(host.labels(8)).rejects.toThrow(ConfigurationError);
    await expect(host.upsertComment(8, MARK, 'x')).rejects.toThrow(
      /pull request #8 was not found in acme\/flowers \(HTTP 404\)/,
    );
  });
});
