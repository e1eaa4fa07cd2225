/**
 * Pip requirements (PEP 508 and requirements-file syntax), parsed into dependencies that each know where they were
 * written: `name[extras] specs ; marker`, `name @ url`, bare URLs, VCS URLs, local paths, `-e`, `-r`, `-c` and the
 * index/find-links options (ignored); requirements files with `\` continuations and `-r` includes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, readFailure, type SourceLocation } from '../core/errors.js';
import {
  normalizeName,
  stripWildcard,
  type Constraint,
  type Dependency,
  type DependencyKind,
  type DependencyLocation,
  type Manager,
} from './dependency.js';

/** Judge a pip specifier list such as `==2.15.0`, `>=1,<2`, `==2.14.*`, `(==1.0)`. */
function pipConstraint(spec: string): { constraint: Constraint; version?: string } {
  const s = spec
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  if (s === '') return { constraint: 'none' };
  const clauses = s
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const parsed = clauses.map((c) => c.match(/^(===|==|!=|~=|>=|<=|>|<)\s*(\S+)$/));
  if (parsed.some((p) => p === null)) return { constraint: 'range' };
  for (const p of parsed) {
    const [, op, v] = p!;
    if (op === '===') return { constraint: 'exact', version: v };
    if (op === '==' && !v!.includes('*')) return { constraint: 'exact', version: v };
  }
  if (parsed.length === 1 && parsed[0]![1] === '==') {
    const { version } = stripWildcard(parsed[0]![2]!);
    return { constraint: 'fuzzy', version };
  }
  return { constraint: 'range' };
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Pip requirement lines                                                                                          */

export type PipLine =
  | { type: 'dependency'; dependency: Dependency }
  /** `-r file` (or `-c file` with constraint: true). */
  | { type: 'include'; file: string; constraint: boolean }
  /** Blank, a comment, or an option that does not name a dependency (`--extra-index-url`, `-f`, `--pre`, …). */
  | { type: 'ignored' };

const VCS = /^(git|hg|svn|bzr)\+/i;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function isLocalPath(s: string): boolean {
  if (/^(file:|git\+file:)/i.test(s)) return true;
  if (URL_SCHEME.test(s) && !/^[A-Za-z]:[\\/]/.test(s)) return false;
  if (/^(\.|\/|~|[A-Za-z]:[\\/])/.test(s)) return true;
  if (/[/\\]/.test(s)) return true;
  return /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/i.test(s);
}

function eggName(url: string): string {
  return url.match(/[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/)?.[1] ?? '';
}

/** The commit, tag or branch after the last `@` of a VCS URL's path (not the user@ of its host). */
export function vcsRef(url: string): string | undefined {
  const noFragment = url.split('#')[0] ?? url;
  const m = noFragment.match(/^[a-z0-9+.-]+:\/\/[^/]*(\/.*)?$/i);
  const pathPart = m ? (m[1] ?? '') : noFragment;
  const at = pathPart.lastIndexOf('@');
  return at >= 0 ? pathPart.slice(at + 1) : undefined;
}

function urlDependency(
  manager: Manager,
  text: string,
  name: string,
  url: string,
  location: DependencyLocation,
  extra: Partial<Dependency> = {},
): Dependency {
  const kind: DependencyKind = isLocalPath(url)
    ? 'local'
    : VCS.test(url)
      ? 'vcs'
      : URL_SCHEME.test(url)
        ? 'url'
        : 'local';
  const n = name || eggName(url);
  return {
    manager,
    kind,
    text,
    name: n,
    key: normalizeName(n),
    spec: '',
    constraint: 'none',
    extras: [],
    url,
    location,
    ...extra,
    hashed: extra.hashed || /#(sha256|sha384|sha512)=/i.test(url),
  };
}

/** Split `opt value`, `opt=value` and `-rvalue` forms of a requirements-file option. */
function optionValue(line: string, short: string | undefined, long: string): string | undefined {
  const l = line.trim();
  if (short && l.startsWith(short)) {
    const rest = l.slice(short.length);
    if (rest === '') return '';
    if (/^[\s=]/.test(rest)) return rest.replace(/^[\s=]+/, '').trim();
    if (!rest.startsWith('-')) return rest.trim();
  }
  if (l === long) return '';
  if (l.startsWith(long) && /^[\s=]/.test(l.slice(long.length)))
    return l
      .slice(long.length)
      .replace(/^[\s=]+/, '')
      .trim();
  return undefined;
}

/**
 * One line of a requirements file or one entry of a conda file's `pip:` list. Comments (`#` at the start or after
 * whitespace) are removed; `#egg=` fragments in URLs are kept.
 */
export function parsePipLine(written: string, location: DependencyLocation, manager: Manager = 'pip'): PipLine {
  const line = written.replace(/(^|\s)#.*$/, '').trim();
  if (line === '') return { type: 'ignored' };
  if (line.startsWith('-')) {
    const req = optionValue(line, '-r', '--requirement');
    if (req !== undefined) return req === '' ? { type: 'ignored' } : { type: 'include', file: req, constraint: false };
    const con = optionValue(line, '-c', '--constraint');
    if (con !== undefined) return con === '' ? { type: 'ignored' } : { type: 'include', file: con, constraint: true };
    const ed = optionValue(line, '-e', '--editable');
    if (ed !== undefined && ed !== '') {
      const target = ed.replace(/\s+--?[a-z].*$/i, '');
      const named = target.match(/^([A-Za-z0-9][A-Za-z0-9._-]*)\s*@\s*(.+)$/);
      return {
        type: 'dependency',
        dependency: urlDependency(manager, line, named?.[1] ?? '', named?.[2]?.trim() ?? target, location, {
          editable: true,
        }),
      };
    }
    return { type: 'ignored' };
  }
  // Per-requirement options (--hash=…, --config-settings=…) follow the requirement.
  const opt = line.search(/\s--?[a-z]/i);
  const req = (opt >= 0 ? line.slice(0, opt) : line).trim();
  const hashed = opt >= 0 && /\s--hash[=\s]/.test(line.slice(opt));

  // A bare URL or path (not `name @ url`).
  const named = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(req);
  const head = req.split(/\s+;/)[0]!.trim();
  if (!named && ((URL_SCHEME.test(head) && !/^[A-Za-z]:[\\/]/.test(head)) || isLocalPath(head))) {
    const [url = '', marker] = req.split(/\s+;\s*/);
    return {
      type: 'dependency',
      dependency: urlDependency(manager, req, '', url.trim(), location, { hashed, marker: marker?.trim() }),
    };
  }

  const m = req.match(/^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*)$/s);
  if (!m) {
    return {
      type: 'dependency',
      dependency: {
        manager,
        kind: 'package',
        text: req,
        name: req,
        key: normalizeName(req),
        spec: '',
        constraint: 'none',
        extras: [],
        location,
      },
    };
  }
  const name = m[1]!;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  let rest = m[3]!.trim();
  if (rest.startsWith('@')) {
    const [url = '', marker] = rest
      .slice(1)
      .trim()
      .split(/\s+;\s*/);
    return {
      type: 'dependency',
      dependency: urlDependency(manager, req, name, url.trim(), location, { extras, hashed, marker: marker?.trim() }),
    };
  }
  let marker: string | undefined;
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi).trim();
  }
  const judged = pipConstraint(rest);
  return {
    type: 'dependency',
    dependency: {
      manager,
      kind: 'package',
      text: req,
      name,
      key: normalizeName(name),
      spec: rest,
      constraint: judged.constraint,
      version: judged.version,
      extras,
      marker,
      hashed,
      location,
    },
  };
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Requirements files                                                                                             */

export interface RequirementsContext {
  /** Absolute project root. */
  root: string;
  /** Files already being read, to stop `-r` cycles. */
  seen?: Set<string>;
  /** Problems that make the files unusable (a missing `-r` file); the caller throws them together. */
  errors: ConfigurationError[];
}

/** `target`, named in `fromFile`, as a project-relative path (absolute paths stay as they are). */
export function projectRelative(fromFile: string, target: string): string {
  if (path.isAbsolute(target)) return target.replace(/\\/g, '/');
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), target.replace(/\\/g, '/')));
}

/**
 * The dependencies of a requirements file, `-r` files included (each resolved against the folder of the file
 * that names it). `file` is project-relative; `from` is where it was named, for the error when it is missing.
 */
export function readRequirements(
  file: string,
  from: SourceLocation,
  ctx: RequirementsContext,
  manager: Manager = 'pip',
): Dependency[] {
  const abs = path.isAbsolute(file) ? file : path.join(ctx.root, file);
  const seen = ctx.seen ?? (ctx.seen = new Set());
  if (seen.has(abs)) return [];
  seen.add(abs);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const why = readFailure(err);
    ctx.errors.push(
      new ConfigurationError(
        `the requirements file ${file} ${why}; fix the path after -r (it resolves against the folder of ${from.file}) or move its lines into this list`,
        from,
      ),
    );
    return [];
  }
  return parseRequirementsText(file, text, ctx, manager);
}

/** Parse requirements-file text; lines ending in `\` continue on the next line (reported at the first). */
export function parseRequirementsText(
  file: string,
  text: string,
  ctx: RequirementsContext,
  manager: Manager = 'pip',
): Dependency[] {
  const out: Dependency[] = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const first = i;
    let line = physical[i]!;
    while (/\\\s*$/.test(line) && i + 1 < physical.length) line = line.replace(/\\\s*$/, ' ') + physical[++i]!;
    const column = (line.match(/^\s*/)?.[0].length ?? 0) + 1;
    const location = { file, line: first + 1, column };
    const parsed = parsePipLine(line, location, manager);
    if (parsed.type === 'dependency') out.push(parsed.dependency);
    else if (parsed.type === 'include' && !parsed.constraint)
      out.push(...readRequirements(projectRelative(file, parsed.file), location, ctx, manager));
  }
  return out;
}
