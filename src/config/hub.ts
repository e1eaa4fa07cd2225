/**
 * What a `model.hub` value is and whether it names a version. One parser for every source the hub loader accepts:
 * a tfhub.dev handle, a Kaggle Models URL or handle, any https URL of a model.json, a local folder.
 */

export type HubHandle =
  | { kind: 'tfhub'; base: string; version?: string }
  | { kind: 'kaggle'; base: string; version?: string }
  | { kind: 'url'; url: string }
  | { kind: 'local'; path: string };

export function parseHubHandle(hub: string): HubHandle {
  const s = hub.trim();
  let url: URL | undefined;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? new URL(s) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) {
    // Kaggle handles without the host: <owner>/<model>/<framework>/<variation>[/<version>]
    const parts = s.split('/');
    if (
      !s.startsWith('.') &&
      !s.startsWith('/') &&
      /^(tfjs|tensorflow2|tensorFlow2|tfJs|tfLite|keras|jax|pyTorch|transformers|other)$/i.test(parts[2] ?? '') &&
      parts.length >= 4 &&
      parts.length <= 5
    ) {
      const version = parts.length === 5 && /^\d+$/.test(parts[4]!) ? parts[4] : undefined;
      return { kind: 'kaggle', base: parts.slice(0, 4).join('/'), version };
    }
    return { kind: 'local', path: s.replace(/^file:(\/\/)?/, '') };
  }
  const segs = url.pathname.split('/').filter(Boolean);
  if (/(^|\.)tfhub\.dev$/i.test(url.hostname)) {
    // tfjs models end in /<version>/default/<n> (the tfjs-model convention); others in /<version>.
    if (
      segs.length >= 3 &&
      segs[segs.length - 2] === 'default' &&
      /^\d+$/.test(segs[segs.length - 1]!) &&
      /^\d+$/.test(segs[segs.length - 3]!)
    ) {
      return { kind: 'tfhub', base: `${url.origin}/${segs.slice(0, -3).join('/')}`, version: segs[segs.length - 3] };
    }
    const last = segs[segs.length - 1];
    if (last && /^\d+$/.test(last))
      return { kind: 'tfhub', base: `${url.origin}/${segs.slice(0, -1).join('/')}`, version: last };
    return { kind: 'tfhub', base: `${url.origin}/${segs.join('/')}` };
  }
  if (/(^|\.)kaggle\.com$/i.test(url.hostname) && segs[0] === 'models') {
    // /models/<owner>/<model>/<framework>/<variation>/<version>
    const rest = segs.slice(1);
    const version = rest.length >= 5 && /^\d+$/.test(rest[4]!) ? rest[4] : undefined;
    return { kind: 'kaggle', base: `${url.origin}/models/${rest.slice(0, 4).join('/')}`, version };
  }
  if (url.protocol === 'file:') return { kind: 'local', path: decodeURIComponent(url.pathname) };
  return { kind: 'url', url: s };
}
