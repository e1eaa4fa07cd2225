/**
 * The one place that makes text safe to write to a runner's log. A pull request controls many values tfaml prints
 * (image names, versions, paths, metric names, labels), and the Actions runner treats any line that starts with `::`
 * (after leading whitespace) as a workflow command, and `##[` anywhere in a line as a legacy one; it splits lines at
 * LF and at a lone CR. So every line tfaml writes goes through `inertLog`: line breaks are normalised to LF, a line
 * that would be read as a command gets a zero-width space in front (shown as nothing, parsed as text), and the legacy
 * prefix is broken the same way. Commands tfaml means to give (annotations, masks, outputs) are written by
 * @actions/core, which escapes their data, never through here.
 *
 * `redactSecrets` runs on the same path, on a runner or not: a URL's SAS signature and any token-shaped query value
 * never reach a message.
 */

const ZWSP = '\u200b';

/** Query parameters whose value is a credential (SAS `sig`, OAuth and API tokens, codes). */
const SECRET_PARAMS =
  /([?&;](?:sig|signature|token|access_token|id_token|refresh_token|code|client_secret|api[-_]?key|key)=)[^&\s"'<>#]+/gi;

export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAMS, '$1***');
}

/** Text for a runner's log: no line of it can be read as a workflow command, and no secret-shaped value survives. */
export function inertLog(text: string): string {
  return redactSecrets(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (/^\s*::/.test(line) ? ZWSP + line : line).replace(/##\[/g, `#${ZWSP}#[`))
    .join('\n');
}

/** A value inside a message: JSON-quoted, so quotes, CR and LF in it are shown escaped, never acted on. */
export function quote(value: unknown): string {
  return JSON.stringify(String(value));
}

/**
 * A value from a pull request inside markdown (a PR comment, a job summary): shown as the text it is, never as a
 * mention, link, image, HTML or table break. Line breaks become spaces; `\`, backticks, `[`, `]`, `<`, `>`, `!`, `|`
 * and `&` are escaped; `@` and URL schemes get a zero-width space (as `&#8203;`, the way dependency bots quote
 * release notes) so GitHub neither pings nor autolinks.
 */
export function inertMd(text: string): string {
  return String(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`[\]!|]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@&#8203;')
    .replace(/\b(https?|ftp|mailto|file|data|javascript)(:)/gi, '$1&#8203;$2')
    .replace(/\bwww\./gi, 'www&#8203;.');
}

/**
 * A sentence of tfaml's that carries values from a pull request (a finding's message, a gate's reason): as inertMd,
 * but tfaml's own backticks stay code spans. A backtick in a value can only turn more of the sentence into code,
 * which is inert too; everything outside code is escaped.
 */
export function inertMessage(text: string): string {
  const parts = String(text)
    .replace(/[\r\n]+/g, ' ')
    .split('`');
  // An odd number of backticks: no reliable code spans, so the whole sentence is escaped as a value.
  if (parts.length % 2 === 0) return inertMd(text);
  // Even parts are prose (escaped); odd parts are code spans, already inert, where only a cell break is escaped.
  return parts.map((p, i) => (i % 2 === 0 ? inertMd(p) : p.replace(/\|/g, '\\|'))).join('`');
}

/**
 * A value as a markdown code span it cannot break out of: the fence is longer than any run of backticks inside, line
 * breaks become spaces, and in a table cell `|` is escaped (GitHub splits cells at a bare `|`, even in code).
 */
export function mdCode(text: string, opts: { table?: boolean } = {}): string {
  let v = String(text).replace(/[\r\n]+/g, ' ');
  if (opts.table) v = v.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || v.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}
