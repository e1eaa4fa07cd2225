/**
 * The `cc` line of the validate summary and the cost comment. An owner becomes a mention only when it is spelled as
 * a GitHub login or an org/team slug; anything else (which a base's tfaml.yml could still hold) is shown as inert
 * text, so it can neither ping nor link.
 */
import { inertMd } from '../core/inert.js';

/** GitHub logins: letters, digits and single hyphens, not at either end, at most 39 characters. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Team slugs: letters, digits, `-` and `_` (GitHub lowercases the name and replaces the rest). */
const TEAM = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** `@login` or `@org/team` when the owner is one, else the owner as inert text. */
export function mention(owner: string): string {
  const o = owner.trim().replace(/^@/, '');
  const [who, team, more] = o.split('/');
  if (more === undefined && who !== undefined && LOGIN.test(who) && (team === undefined || TEAM.test(team)))
    return `@${o}`;
  return inertMd(owner.trim());
}

/** `cc @a @org/team`, or undefined when nobody is to hear. */
export function ccLine(owners: readonly string[]): string | undefined {
  return owners.length ? `cc ${owners.map(mention).join(' ')}` : undefined;
}
