/** The comment is ours: tfaml edits only a comment that opens with its marker and was written by its own token. */
import { afterEach, describe, expect, it } from 'vitest';
import { gitHubCodeHost } from '../../src/adapters/github/code-host.js';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';

let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

const MARK = '<!-- tfaml-cost: p -->';

describe('the sticky comment against planted markers (real Octokit, local GitHub API)', () => {
  it("a marker planted by someone else is never edited: tfaml's own comment is found by marker and author", async () => {
    gh = await startGitHubServer({
      pulls: {
        7: {
          comments: [
            { id: 10, body: `${MARK}\nplanted first`, user: { login: 'mallory' } },
            { id: 11, body: `quoting ${MARK} mid-body`, user: { login: 'github-actions[bot]' } },
            { id: 12, body: `${MARK}\nours`, user: { login: 'github-actions[bot]' } },
            { id: 13, body: `${MARK}\nplanted after`, user: { login: 'mallory' } },
          ],
        },
      },
    });
    const host = gitHubCodeHost({ token: 't', repository: gh.repo, baseUrl: gh.url, notice: () => {} });
    const r = await host.upsertComment(7, MARK, `${MARK}\nnew`);
    expect(r).toEqual({ action: 'updated', url: expect.stringContaining('issuecomment-12') });
    expect(gh.writes).toEqual([
      { method: 'PATCH', url: '/repos/acme/flowers/issues/comments/12', body: `${MARK}\nnew` },
    ]);
    expect(gh.pulls.get(7)!.comments.map((c) => c.body)).toContain(`${MARK}\nplanted first`);
  });

  it("with only a planted marker, a new comment is created under the token's own identity (a PAT here)", async () => {
    gh = await startGitHubServer({
      viewer: 'tfaml-bot',
      pulls: { 7: { comments: [{ id: 10, body: `${MARK}\nplanted`, user: { login: 'github-actions[bot]' } }] } },
    });
    const host = gitHubCodeHost({ token: 't', repository: gh.repo, baseUrl: gh.url, notice: () => {} });
    expect((await host.upsertComment(7, MARK, `${MARK}\nreport`)).action).toBe('created');
    expect(gh.writes.map((w) => w.method)).toEqual(['POST']);
    expect(gh.pulls.get(7)!.comments.at(-1)).toMatchObject({ user: { login: 'tfaml-bot' }, body: `${MARK}\nreport` });
    expect(gh.requests.filter((q) => q.url === '/graphql')).toHaveLength(1);
  });
});
