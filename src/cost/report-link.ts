/**
 * The run report's link in the cost comment. The URL comes from a workflow (actions/upload-artifact's artifact-url
 * output), but the comment must not become a place to put any link: only an https Actions artifact URL on the
 * GitHub host the run is on is linked, rebuilt from its checked parts; anything else is ignored with a reason.
 */

export const DEFAULT_SERVER_URL = 'https://github.com';

/** /<owner>/<repo>/actions/runs/<run id>/artifacts/<artifact id>, as GitHub names owners and repositories. */
const ARTIFACT_PATH =
  /^\/[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9._-]+\/actions\/runs\/\d+\/artifacts\/\d+$/;

export type ReportLink = { url: string } | { ignored: string };

/**
 * `value` as a link to the run report when it is an Actions artifact URL on `serverUrl`'s host (GITHUB_SERVER_URL,
 * default https://github.com); otherwise why it is not linked.
 */
export function reportLink(value: string, serverUrl: string | undefined): ReportLink {
  const server = serverUrl?.trim() || DEFAULT_SERVER_URL;
  let host: string;
  try {
    host = new URL(server).host;
  } catch {
    return { ignored: `GITHUB_SERVER_URL ${JSON.stringify(server)} is not a URL, so no host can be trusted` };
  }
  const shape = `an Actions artifact URL such as ${server.replace(/\/+$/, '')}/<owner>/<repo>/actions/runs/<id>/artifacts/<id> (the artifact-url output of actions/upload-artifact)`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return { ignored: `it is not a URL; give ${shape}` };
  }
  if (u.protocol !== 'https:') return { ignored: `it is not https; give ${shape}` };
  if (u.host !== host) return { ignored: `its host ${u.host} is not ${host} (GITHUB_SERVER_URL); give ${shape}` };
  if (u.username || u.password || u.search || u.hash || !ARTIFACT_PATH.test(u.pathname))
    return { ignored: `it is not ${shape}` };
  return { url: `https://${u.host}${u.pathname}` };
}
