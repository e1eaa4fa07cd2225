/**
 * The pull request on GitHub through Octokit (the only place that imports @actions/github): labels, and one comment
 * found by its hidden marker across every page of comments and updated in place. A token that may not write (a
 * fork's pull request gets a read-only GITHUB_TOKEN) is a ReadOnlyTokenError, so the caller can fall back to the
 * job summary instead of failing the check.
 *
 * GitHub's limits are waited out here, for every request (pages, GraphQL and writes alike): a rate limit (403 or 429
 * with retry-after, the "secondary rate limit" message, or x-ratelimit-remaining 0) and a 5xx are retried a bounded
 * number of times, then a ServiceUnavailableError (exit 3, safe to re-run). A comment or issue create is never
 * repeated blindly after a 5xx (GitHub may have created it before failing): the whole find-then-write runs again, so
 * it finds and updates what the failed attempt left, and nothing is posted twice.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { ConfigurationError, ReadOnlyTokenError, ServiceUnavailableError } from '../../core/errors.js';
import type { CodeHost, IssueHost } from '../../core/ports.js';

export interface GitHubOptions {
  token: string;
  /** owner/name, from GITHUB_REPOSITORY. */
  repository: string;
  /** GITHUB_API_URL (GitHub Enterprise Server, tests). */
  baseUrl?: string;
  /** Comments per page when searching for the marker (GitHub's maximum is 100). */
  perPage?: number;
  notice?: (message: string) => void;
  /** Tries per request for rate limits and 5xx (default 4). */
  attempts?: number;
  /** The longest wait GitHub may ask for, in seconds (default 120); a longer one is given up at once. */
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

function status(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'status' in e ? Number((e as { status: unknown }).status) : undefined;
}

interface Answer {
  status?: number;
  headers: Record<string, string | undefined>;
  message: string;
}

function answer(e: unknown): Answer {
  const r = (e as { response?: { headers?: Record<string, string | undefined>; data?: { message?: unknown } } })
    .response;
  const data = r?.data?.message;
  return { status: status(e), headers: r?.headers ?? {}, message: typeof data === 'string' ? data : String(e) };
}

/**
 * Seconds to wait before trying again, or undefined when this answer is not worth retrying. GitHub's guidance on
 * secondary limits: honour retry-after, else wait at least a minute; a primary limit lasts until x-ratelimit-reset.
 */
function retryAfter(a: Answer, attempt: number, now: number): number | undefined {
  const header = a.headers['retry-after'];
  const after = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
  if (a.status === 403 || a.status === 429) {
    if (/secondary rate limit/i.test(a.message)) return after ?? 60;
    if (after !== undefined) return after;
    if (a.headers['x-ratelimit-remaining'] === '0') {
      const reset = Number(a.headers['x-ratelimit-reset']);
      return Number.isFinite(reset) ? Math.max(0, Math.ceil(reset - now / 1000)) : 60;
    }
    return a.status === 429 ? 2 ** (attempt - 1) : undefined;
  }
  // A network failure is status 500 from @octokit/request, and heals like one.
  if (a.status !== undefined && a.status >= 500) return after ?? 2 ** (attempt - 1);
  return undefined;
}

const rateLimited = (a: Answer) => a.status === 403 || a.status === 429;

/** How many pages of closed issues syncIssue reads looking for one to reopen. */
const CLOSED_PAGES = 10;

export function gitHubCodeHost(o: GitHubOptions): CodeHost & IssueHost {
  const [owner, repo] = o.repository.split('/');
  if (!owner || !repo)
    throw new ConfigurationError(`GITHUB_REPOSITORY is ${JSON.stringify(o.repository)}; it must be owner/name`);
  const octokit = getOctokit(o.token, {
    baseUrl: o.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
    request: { retries: 0 },
  });
  const attempts = o.attempts ?? 4;
  const maxWait = o.maxWaitSeconds ?? 120;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? (() => Date.now());
  const unavailable = (what: string, a: Answer, why: string) =>
    Object.assign(
      new ServiceUnavailableError(`GitHub (${what}) ${why}: HTTP ${a.status ?? '?'} ${a.message.replace(/\.$/, '')}`),
      { statusCode: a.status },
    );
  octokit.hook.wrap('request', async (request, options) => {
    const what = `${options.method} ${String(options.url)
      .replace(/^https?:\/\/[^/]+/, '')
      .replace(/\?.*$/, '')}`;
    // A POST other than GraphQL's read-only viewer query creates something: after a 5xx it may have, so the caller
    // decides (upsertComment and syncIssue look again first); a rate-limit refusal is certain to have written nothing.
    const creates = options.method === 'POST' && !String(options.url).endsWith('/graphql');
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(options);
      } catch (e) {
        const a = answer(e);
        const wait = retryAfter(a, attempt, now());
        if (wait === undefined || (creates && !rateLimited(a))) throw e;
        if (wait > maxWait)
          throw unavailable(what, a, `asked to wait ${wait} s, longer than the ${maxWait} s tfaml waits`);
        if (attempt >= attempts) throw unavailable(what, a, `still refused after ${attempts} tries`);
        await sleep(wait * 1000);
      }
    }
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
      .catch((e: unknown) => {
        // Only an outage must stop the run: guessing the identity then could post a second comment.
        if (e instanceof ServiceUnavailableError) throw e;
        return 'github-actions[bot]';
      }));

  const upsertOnce = async (
    pr: number,
    marker: string,
    body: string,
  ): Promise<{ action: 'created' | 'updated'; url: string }> => {
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
      if (status(e) === 422) {
        const errors = (
          e as { response?: { data?: { errors?: { field?: string; message?: string; code?: string }[] } } }
        ).response?.data?.errors;
        const detail = (errors ?? []).map((x) => [x.field, x.message ?? x.code].filter(Boolean).join(': ')).join('; ');
        throw new Error(
          `GitHub refused the comment on #${pr} in ${o.repository} (HTTP 422 ${answer(e).message}${detail ? `: ${detail}` : ''}); the report was not posted`,
        );
      }
      throw e;
    }
  };

  /**
   * Runs a find-then-write (`once`) again when it failed with a 5xx: only a create reaches here unretried (the
   * request hook never repeats a POST after a 5xx, as GitHub may have created it before failing), so each try looks
   * first and updates what a failed attempt left instead of creating a second one.
   */
  const lookAgain = async <T>(what: string, once: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once();
      } catch (e) {
        const a = answer(e);
        if (e instanceof ServiceUnavailableError || a.status === undefined || a.status < 500) throw e;
        if (attempt >= attempts) throw unavailable(what, a, `still failing after ${attempts} tries`);
        await sleep(1000 * (retryAfter(a, attempt, now()) ?? 1));
      }
    }
  };

  /**
   * The issue this token's identity opened with `marker` opening its body (anyone can paste the marker; such an
   * issue is never touched), among the open ones (every page) or the closed ones (the most recently updated first,
   * at most CLOSED_PAGES pages: an older one is left closed and a new issue opened).
   */
  const findIssue = async (marker: string, state: 'open' | 'closed') => {
    let pages = 0;
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      state,
      ...(state === 'closed' ? { sort: 'updated' as const, direction: 'desc' as const } : {}),
      per_page: o.perPage ?? 100,
    })) {
      for (const i of page.data) {
        if (i.pull_request || !i.body?.startsWith(marker)) continue;
        if (i.user?.login === (await self())) return { number: i.number };
      }
      if (state === 'closed' && ++pages >= CLOSED_PAGES) return undefined;
    }
    return undefined;
  };

  const syncOnce: IssueHost['syncIssue'] = async (marker, title, body) => {
    const open = await findIssue(marker, 'open');
    try {
      if (body === undefined) {
        if (!open) return { action: 'none' };
        const r = await octokit.rest.issues.update({
          owner,
          repo,
          issue_number: open.number,
          state: 'closed',
          state_reason: 'completed',
        });
        return { action: 'closed', url: r.data.html_url };
      }
      if (open) {
        const r = await octokit.rest.issues.update({ owner, repo, issue_number: open.number, title, body });
        return { action: 'updated', url: r.data.html_url };
      }
      // Findings that come back continue the issue a clean audit closed, so their history stays in one place.
      const closed = await findIssue(marker, 'closed');
      if (closed) {
        const r = await octokit.rest.issues.update({
          owner,
          repo,
          issue_number: closed.number,
          state: 'open',
          state_reason: 'reopened',
          title,
          body,
        });
        return { action: 'reopened', url: r.data.html_url };
      }
      const r = await octokit.rest.issues.create({ owner, repo, title, body });
      return { action: 'created', url: r.data.html_url };
    } catch (e) {
      if (status(e) === 403 || status(e) === 410)
        throw new ConfigurationError(
          `the token may not write issues in ${o.repository} (HTTP ${status(e)}: ${(e as Error).message}); give the workflow \`permissions: issues: write\`, and check that issues are enabled`,
        );
      throw e;
    }
  };

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

    upsertComment(pr, marker, body) {
      return lookAgain(`POST comment on #${pr}`, () => upsertOnce(pr, marker, body));
    },

    syncIssue(marker, title, body) {
      return lookAgain('POST issue', () => syncOnce(marker, title, body));
    },

    notice: o.notice ?? ((m) => core.notice(m)),
  };
}
