/**
 * The production version rule. Compared with the champion, a candidate whose input shape or class list (the set,
 * or its order, which is the output order) differs gets a new major version, one trained on another data version a
 * new minor version, anything else a patch. The first production version is 1.0.0. The bump applies to the highest
 * version already in production, so a version number is never reused even after a rollback.
 */
import semver from 'semver';
import { TAGS } from '../core/tags.js';

export type Bump = 'initial' | 'major' | 'minor' | 'patch';

export interface BumpDecision {
  bump: Bump;
  /** Plain words: "the class set changed: added tulips". */
  why: string;
}

type Tags = Record<string, string>;

function parseArray(s: string | undefined): unknown[] | undefined {
  if (s === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v : [s];
  } catch {
    return [s];
  }
}

function same(a: string | undefined, b: string | undefined, parse = false): boolean {
  if (a === undefined || b === undefined) return a === b;
  return parse ? JSON.stringify(parseArray(a)) === JSON.stringify(parseArray(b)) : a === b;
}

function show(s: string | undefined): string {
  return s === undefined ? '(not recorded)' : s;
}

function classChange(champion: string | undefined, candidate: string | undefined): string {
  const before = (parseArray(champion) ?? []).map(String);
  const after = (parseArray(candidate) ?? []).map(String);
  const added = after.filter((c) => !before.includes(c));
  const removed = before.filter((c) => !after.includes(c));
  const parts = [
    added.length ? `added ${added.join(', ')}` : '',
    removed.length ? `removed ${removed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length
    ? `the class set changed: ${parts.join('; ')}`
    : `the class order changed: ${show(champion)} → ${show(candidate)}`;
}

/** What kind of change the candidate is against the champion's lineage tags. */
export function decideBump(candidate: Tags, champion: Tags | undefined): BumpDecision {
  if (!champion) return { bump: 'initial', why: 'the first production version' };
  if (!same(candidate[TAGS.inputShape], champion[TAGS.inputShape], true)) {
    return {
      bump: 'major',
      why: `the input shape changed: ${show(champion[TAGS.inputShape])} → ${show(candidate[TAGS.inputShape])}`,
    };
  }
  if (!same(candidate[TAGS.classes], champion[TAGS.classes], true))
    return { bump: 'major', why: classChange(champion[TAGS.classes], candidate[TAGS.classes]) };
  if (!same(candidate[TAGS.data], champion[TAGS.data])) {
    return {
      bump: 'minor',
      why: `the data version changed: ${show(champion[TAGS.data])} → ${show(candidate[TAGS.data])}`,
    };
  }
  return { bump: 'patch', why: 'same input shape, classes and data version' };
}

/** The next version: the bump applied to the highest semver already in production (1.0.0 when there is none). */
export function nextVersion(existing: readonly string[], bump: Bump): string {
  const valid = existing.map((v) => semver.valid(v)).filter((v): v is string => v !== null);
  const highest = valid.sort(semver.rcompare)[0];
  if (!highest) return '1.0.0';
  // An initial bump with versions present (the champion pointer was lost, or all were rolled away): still a new major.
  return semver.inc(highest, bump === 'initial' ? 'major' : bump)!;
}
