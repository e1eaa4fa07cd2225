/**
 * The pull request on GitHub through Octokit (the only place that imports @actions/github): labels, and one comment
 * found by its hidden marker across every page of comments and updated in place. A token that may not write (a
 * fork's pull request gets a read-only GITHUB_TOKEN) is a ReadOnlyTokenError, so the caller can fall back to the
 * job summary instead of failing the check.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { ConfigurationError } from '../../core/errors.js';
import type { CodeHost } from '../../core/ports.js';
import { ReadOnlyTokenError } from '../../core/errors.js';

export interface GitHubOptions {
  token: string;
  /** owner/name, from GITHUB_REPOSITORY. */
  repository: string;
  /** GITHUB_API_URL (GitHub Enterprise Server, tests). */
  baseUrl?: string;
  /** Comments per page when searching for the marker (GitHub's maximum is 100). */
  perPage?: number;
  notice?: (message: string) => void;
}

function status(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'status' in e ? Number((e as { status: unknown }).status) : undefined;
}

export function gitHubCodeHost(o: GitHubOptions): CodeHost {
  const [owner, repo] = o.repository.split('/');
  if (!owner || !repo)
    throw new ConfigurationError(`GITHUB_REPOSITORY is ${JSON.stringify(o.repository)}; it must be owner/name`);
  const octokit = getOctokit(o.token, {
    baseUrl: o.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
    request: { retries: 0 },
  });
  const notFound = (pr: number, what: string) =>
    new ConfigurationError(
      `${what}: pull request #${pr} was not found in ${o.repository} (HTTP 404); check the pr input, GITHUB_REPOSITORY, and that the token can read the repository`,
    );

  // Who this token is: GraphQL's viewer answers for a personal token and an installation token alike (REST /user
  // refuses the latter). GITHUB_TOKEN is the Actions app's installation token: github-actions[bot].
  let login: Promise<string> | undefined;
  const self = () =>
    (login ??= octokit
      .graphql<{ viewer: { login: string } }>('query { viewer { login } }')
      .then((r) => r.viewer.login)
      .catch(() => 'github-actions[bot]'));

  return {
    async labels(pr) {
      try {
        const all = await octokit.paginate(octokit.rest.issues.listLabelsOnIssue, {
          owner,
          repo,
          issue_number: pr,
          per_page: 100,
        });
        return all.map((l) => l.name);
      } catch (e) {
        if (status(e) === 404) throw notFound(pr, 'reading labels');
        throw e;
      }
    },

    async upsertComment(pr, marker, body) {
      let existing: { id: number } | undefined;
      try {
        // Stop at the first page that holds our marked comment; a long thread is never fetched whole without need.
        for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: pr,
          per_page: o.perPage ?? 100,
        })) {
          for (const c of page.data) {
            // Ours: the marker opens the body and the author is this token's own identity. Anyone can paste the
            // marker into a comment; such a comment is never edited (it would post our report under their name).
            if (!c.body?.startsWith(marker)) continue;
            if (c.user?.login === (await self())) {
              existing = c;
              break;
            }
          }
          if (existing) break;
        }
      } catch (e) {
        if (status(e) === 404) throw notFound(pr, 'listing comments');
        throw e;
      }
      try {
        if (existing) {
          const r = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
          return { action: 'updated', url: r.data.html_url };
        }
        const r = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
        return { action: 'created', url: r.data.html_url };
      } catch (e) {
        if (status(e) === 403)
          throw new ReadOnlyTokenError(`the token may not write comments in ${o.repository} (${(e as Error).message})`);
        if (status(e) === 404) throw notFound(pr, 'writing the comment');
        throw e;
      }
    },

    notice: o.notice ?? ((m) => core.notice(m)),
  };
}
