/**
 * A local GitHub REST API for what cost does: list an issue's comments (per_page, page, Link header), create and
 * update a comment, list labels; 404 for an unknown pull request, and 403 "Resource not accessible by integration"
 * for writes when the token is read-only (a fork's pull request); GraphQL `viewer { login }` for the token's identity.
 * For the audit's one issue: list a repository's issues (state, sort=updated with direction, per_page, page, Link
 * header; pull requests included with a `pull_request` key, as GitHub lists them), create one, and update its title,
 * body, state and state_reason.
 * `faults` answers chosen requests the way GitHub fails: a secondary rate limit (403 with retry-after and its
 * message), 422 Validation Failed, a 5xx, or a 5xx after the write landed (the answer lost, the comment created).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  /** As the last PATCH set it (completed, not_planned, reopened). */
  state_reason?: string;
  user: { login: string };
}

export interface FakePull {
  comments: FakeComment[];
  labels: string[];
}

/** The next `times` requests matching method and path get this answer instead of the real one. */
export interface GitHubFault {
  method?: string;
  /** Tested against the path without the query. */
  path?: RegExp;
  times: number;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Do the request's work first (a write lands), then answer with the fault, as when a response is lost. */
  afterWrite?: boolean;
}

/** GitHub's answer when a token trips a secondary rate limit (docs.github.com, rate limits for the REST API). */
export function secondaryRateLimit(times: number, retryAfter = '1', method?: string): GitHubFault {
  return {
    method,
    times,
    status: 403,
    headers: { 'retry-after': retryAfter, 'x-ratelimit-remaining': '4321' },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:1F2E:3D4C:5B6A:7988.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '403',
    },
  };
}

export interface GitHubServer {
  url: string;
  repo: string;
  pulls: Map<number, FakePull>;
  issues: Map<number, FakeIssue>;
  /** Every request, in order: method and path with query. */
  requests: { method: string; url: string; auth?: string; status?: number }[];
  /** Writes (POST, PATCH) that succeeded. */
  writes: { method: string; url: string; body: string }[];
  readOnly: boolean;
  faults: GitHubFault[];
  /** Who the token is: GraphQL `viewer { login }`, and the author of the comments it creates. */
  viewer: string;
  close(): Promise<void>;
}

export async function startGitHubServer(
  opts: {
    repo?: string;
    pulls?: Record<number, Partial<FakePull>>;
    issues?: Omit<FakeIssue, 'number'>[];
    readOnly?: boolean;
    viewer?: string;
    faults?: GitHubFault[];
  } = {},
): Promise<GitHubServer> {
  const repo = opts.repo ?? 'acme/flowers';
  const pulls = new Map<number, FakePull>(
    Object.entries(opts.pulls ?? {}).map(([n, p]) => [
      Number(n),
      { comments: p.comments ?? [], labels: p.labels ?? [] },
    ]),
  );
  let nextId = 1000;
  let nextNumber = Math.max(0, ...pulls.keys()) + 1;
  const issues = new Map<number, FakeIssue>();
  /** When each issue last changed, as an increasing count (for sort=updated). */
  const updated = new Map<number, number>();
  let clock = 0;
  for (const i of opts.issues ?? []) {
    updated.set(nextNumber, ++clock);
    issues.set(nextNumber, { ...i, number: nextNumber++ });
  }
  const gh: GitHubServer = {
    url: '',
    repo,
    pulls,
    issues,
    requests: [],
    writes: [],
    readOnly: opts.readOnly ?? false,
    faults: opts.faults ?? [],
    viewer: opts.viewer ?? 'github-actions[bot]',
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', gh.url);
      const rec: GitHubServer['requests'][number] = {
        method: req.method ?? 'GET',
        url: `${u.pathname}${u.search}`,
        auth: req.headers.authorization,
      };
      gh.requests.push(rec);
      const fault = gh.faults.find(
        (f) => f.times > 0 && (!f.method || f.method === req.method) && (!f.path || f.path.test(u.pathname)),
      );
      if (fault) fault.times--;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (fault) {
          status = fault.status;
          body = fault.body ?? { message: `fault ${fault.status}`, status: String(fault.status) };
          headers = fault.headers ?? {};
        }
        rec.status = status;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      if (fault && !fault.afterWrite) return send(fault.status, undefined);
      const notFound = () =>
        send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      const forbidden = () =>
        send(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
          status: '403',
        });
      const html = (id: number) => `https://github.com/${repo}/pull/1#issuecomment-${id}`;
      // GraphQL: only the viewer query, as GitHub answers it for any token (installation tokens included).
      if (u.pathname === '/graphql' && req.method === 'POST') {
        const q = (JSON.parse(raw || '{}') as { query?: string }).query ?? '';
        if (!/viewer\s*\{\s*login\s*\}/.test(q)) return send(200, { errors: [{ message: `unsupported query ${q}` }] });
        return send(200, { data: { viewer: { login: gh.viewer } } });
      }
      const base = `/repos/${repo}/issues`;
      const issueView = (i: FakeIssue) => ({
        ...i,
        id: i.number + 500000,
        html_url: `https://github.com/${repo}/issues/${i.number}`,
      });
      if (u.pathname === base && req.method === 'GET') {
        const state = u.searchParams.get('state') ?? 'open';
        const all = [
          ...[...pulls.keys()].map((n) => ({
            number: n,
            title: `pull ${n}`,
            body: '',
            state: 'open',
            user: { login: 'someone' },
            pull_request: { url: `${gh.url}/repos/${repo}/pulls/${n}` },
          })),
          ...[...issues.values()].map(issueView),
        ].filter((i) => state === 'all' || i.state === state);
        // GitHub's default order is newest created first; sort=updated orders by the last change.
        const key = (i: { number: number }) =>
          u.searchParams.get('sort') === 'updated' ? (updated.get(i.number) ?? 0) : i.number;
        const dir = u.searchParams.get('direction') === 'asc' ? 1 : -1;
        all.sort((a, b) => dir * (key(a) - key(b)));
        const per = Math.min(100, Number(u.searchParams.get('per_page') ?? 30));
        const page = Number(u.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(all.length / per));
        const link = (p: number, rel: string) => {
          const q = new URLSearchParams(u.searchParams);
          q.set('page', String(p));
          return `<${gh.url}${u.pathname}?${q}>; rel="${rel}"`;
        };
        const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
        return send(200, all.slice((page - 1) * per, page * per), links.length ? { link: links.join(', ') } : {});
      }
      if (u.pathname === base && req.method === 'POST') {
        if (gh.readOnly) return forbidden();
        const b = JSON.parse(raw) as { title: string; body?: string };
        const i: FakeIssue = {
          number: nextNumber++,
          title: b.title,
          body: b.body ?? '',
          state: 'open',
          user: { login: gh.viewer },
        };
        issues.set(i.number, i);
        updated.set(i.number, ++clock);
        gh.writes.push({ method: 'POST', url: u.pathname, body: raw });
        return send(201, issueView(i));
      }
      if (!u.pathname.startsWith(base + '/')) return notFound();
      const rest = u.pathname.slice(base.length + 1).split('/');

      // PATCH /repos/o/r/issues/comments/:id
      if (rest[0] === 'comments' && rest.length === 2 && req.method === 'PATCH') {
        const id = Number(rest[1]);
        const c = [...pulls.values()].flatMap((p) => p.comments).find((x) => x.id === id);
        if (!c) return notFound();
        if (gh.readOnly) return forbidden();
        c.body = (JSON.parse(raw) as { body: string }).body;
        gh.writes.push({ method: 'PATCH', url: u.pathname, body: c.body });
        return send(200, { ...c, html_url: html(id) });
      }
      const n = Number(rest[0]);
      const issue = issues.get(n);
      if (issue && rest.length === 1 && req.method === 'PATCH') {
        if (gh.readOnly) return forbidden();
        const b = JSON.parse(raw) as Partial<FakeIssue>;
        if (b.title !== undefined) issue.title = b.title;
        if (b.body !== undefined) issue.body = b.body;
        if (b.state !== undefined) issue.state = b.state;
        if (b.state_reason !== undefined) issue.state_reason = b.state_reason;
        updated.set(issue.number, ++clock);
        gh.writes.push({ method: 'PATCH', url: u.pathname, body: raw });
        return send(200, issueView(issue));
      }
      const pull = pulls.get(n);
      if (!pull) return notFound();
      if (rest[1] === 'labels' && req.method === 'GET')
        return send(
          200,
          pull.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed' })),
        );
      if (rest[1] === 'comments' && req.method === 'GET') {
        const per = Math.min(100, Number(u.searchParams.get('per_page') ?? 30));
        const page = Number(u.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(pull.comments.length / per));
        const link = (p: number, rel: string) => `<${gh.url}${u.pathname}?per_page=${per}&page=${p}>; rel="${rel}"`;
        const links = [
          ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
          ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
        ];
        const body = pull.comments.slice((page - 1) * per, page * per).map((c) => ({ ...c, html_url: html(c.id) }));
        return send(200, body, links.length ? { link: links.join(', ') } : {});
      }
      if (rest[1] === 'comments' && req.method === 'POST') {
        if (gh.readOnly) return forbidden();
        const c: FakeComment = {
          id: nextId++,
          body: (JSON.parse(raw) as { body: string }).body,
          user: { login: gh.viewer },
        };
        pull.comments.push(c);
        gh.writes.push({ method: 'POST', url: u.pathname, body: c.body });
        return send(201, { ...c, html_url: html(c.id) });
      }
      return notFound();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  gh.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gh;
}
