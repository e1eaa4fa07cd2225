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
