/**
 * Conda environment files and pip requirement lines, parsed into dependencies that each know where they were
 * written, and judged for how firmly they are pinned (env/unpinned-package, env/local-path-dependency).
 *
 * Conda match specs: `numpy`, `numpy=1.26.4` (conda's fuzzy `=`, which the rule accepts as a pin when it names
 * x.y.z), `numpy==1.26.4`, `numpy=1.26.4=py310h…` (build string), `numpy 1.26.4 py310h…` (space form; a bare version
 * there is exact), `conda-forge::numpy=1.26.4`, `numpy[version='1.26.4']`, `numpy>=1.2`, `numpy 1.26.*`.
 * Pip requirements (PEP 508 and requirements-file syntax): `name[extras] specs ; marker`, `name @ url`, bare URLs,
 * VCS URLs, local paths, `-e`, `-r`, `-c` and the index/find-links options (ignored).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, readFailure, type SourceLocation } from '../core/errors.js';
import type { Finding, RuleId, Severity } from '../core/findings.js';
import type { SourceDoc } from '../config/source.js';

export type Manager = 'conda' | 'pip';
export type DependencyKind = 'package' | 'vcs' | 'url' | 'local';
/** How the version part constrains: nothing, one version, a series (conda `=x.y`, `x.y.*`), or a range. */
export type Constraint = 'none' | 'exact' | 'fuzzy' | 'range';

export interface DependencyLocation {
  /** Relative to the project root, forward slashes. */
  file: string;
  line: number;
  column?: number;
}

export interface Dependency {
  manager: Manager;
  kind: DependencyKind;
  /** The requirement as written (trimmed, without a trailing comment or per-requirement options). */
  text: string;
  /** The package name as written; empty when a URL or path does not say (no `#egg=`). */
  name: string;
  /** The name normalised for comparison: lower case, runs of `-_.` as `-`. */
  key: string;
  /** The version part as written, empty when there is none. */
  spec: string;
  constraint: Constraint;
  /** The single version an exact or fuzzy constraint names, without a trailing `*` / `.*`. */
  version?: string;
  extras: string[];
  /** A pip environment marker, without the `;`. */
  marker?: string;
  /** A conda channel written as `channel::name`. */
  channel?: string;
  /** A conda build string. */
  build?: string;
  /** For url, vcs and local kinds: the URL or path. */
  url?: string;
  editable?: boolean;
  /** A pip `--hash=` option or a `#sha256=` fragment was given. */
  hashed?: boolean;
  location: DependencyLocation;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Versions                                                                                                       */

/** 1 or 2 purely numeric components (`3.10`, `2`): a series rather than a release. `2024a`, `1.0rc1` are releases. */
function isShortVersion(v: string): boolean {
  return /^\d+(\.\d+)?$/.test(v);
}

function stripWildcard(v: string): { version: string; wildcard: boolean } {
  const m = v.match(/^(.*?)(\.?\*)$/);
  return m ? { version: m[1]!, wildcard: true } : { version: v, wildcard: false };
}

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

/** Judge the version part of a conda match spec (after the name). */
function condaVersion(v: string, op: '' | '=' | '=='): { constraint: Constraint; version?: string } {
  if (v === '') return { constraint: 'none' };
  if (/[<>!~,|]/.test(v) || v === '*') return { constraint: 'range' };
  const { version, wildcard } = stripWildcard(v);
  if (wildcard) return { constraint: 'fuzzy', version };
  // `=x.y.z` is conda's fuzzy match x.y.z*; a bare version in the space form, and `==`, are exact.
  return { constraint: op === '=' ? 'fuzzy' : 'exact', version };
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Conda match specs                                                                                              */

export function parseCondaSpec(written: string, location: DependencyLocation): Dependency {
  const text = written.trim();
  let s = text;
  let channel: string | undefined;
  const cc = s.indexOf('::');
  if (cc >= 0) {
    channel = s.slice(0, cc);
    s = s.slice(cc + 2);
  }
  // Bracket form: name[version='1.2.3', build=py310*]
  let bracket: Record<string, string> = {};
  const b = s.match(/^([^[]*)\[(.*)\]\s*$/);
  if (b) {
    s = b[1]!;
    bracket = Object.fromEntries(
      [...b[2]!.matchAll(/([A-Za-z_]+)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^,\s]*))/g)].map((m) => [
        m[1]!.toLowerCase(),
        m[2] ?? m[3] ?? m[4] ?? '',
      ]),
    );
  }
  const m = s.match(/^([A-Za-z0-9_][A-Za-z0-9_.+-]*?)((?:\s|[=<>!~]).*)?$/);
  const name = m?.[1] ?? s;
  const rest = (m?.[2] ?? '').trimEnd();
  let spec = rest.trim();
  let build = bracket.build;
  let judged: { constraint: Constraint; version?: string };
  if (bracket.version !== undefined && rest.trim() === '') {
    spec = bracket.version;
    const v = bracket.version.trim();
    judged = v.startsWith('==')
      ? condaVersion(v.slice(2), '==')
      : v.startsWith('=')
        ? condaVersion(v.slice(1), '=')
        : condaVersion(v, '');
  } else if (rest === '') {
    judged = { constraint: 'none' };
  } else if (/^\s/.test(rest)) {
    const [v = '', bs] = rest.trim().split(/\s+/);
    if (bs !== undefined) build = bs;
    judged = v.startsWith('==')
      ? condaVersion(v.slice(2), '==')
      : v.startsWith('=')
        ? condaVersion(v.slice(1), '=')
        : condaVersion(v, '');
  } else if (rest.startsWith('==')) {
    const [v = '', bs] = rest.slice(2).split('=');
    if (bs !== undefined) build = bs;
    judged = condaVersion(v.trim(), '==');
  } else if (rest.startsWith('=') && !/^=[<>]/.test(rest)) {
    const [v = '', bs] = rest.slice(1).split('=');
    if (bs !== undefined) build = bs;
    judged = condaVersion(v.trim(), '=');
  } else {
    judged = { constraint: 'range' };
  }
  return {
    manager: 'conda',
    kind: 'package',
    text,
    name,
    key: normalizeName(name),
    spec,
    constraint: judged.constraint,
    version: judged.version,
    extras: [],
    channel,
    build,
    location,
  };
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

function projectRelative(fromFile: string, target: string): string {
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

/* ------------------------------------------------------------------------------------------------------------- */
/* Conda environment files                                                                                        */

export interface CondaEnv {
  file: string;
  name?: string;
  channels: string[];
  /** Conda dependencies, then pip ones (including those of `-r` files), in file order. */
  dependencies: Dependency[];
  /** The `-r` lines of the pip list: the file they name (project-relative) and where the line is. */
  includes: { file: string; location: DependencyLocation; text: string }[];
}

/**
 * The dependencies of a parsed conda environment file. `root` is the absolute project root (`project.config.root`);
 * `-r` files are read relative to the conda file's folder. A missing `-r` file is a ConfigurationError at its line
 * (all of them together).
 */
export function parseConda(doc: SourceDoc, root: string, ctx?: RequirementsContext): CondaEnv {
  const data = doc.data as Record<string, unknown> | null;
  const own: RequirementsContext = ctx ?? { root, errors: [] };
  const env: CondaEnv = { file: doc.file, channels: [], dependencies: [], includes: [] };
  if (!data || typeof data !== 'object' || Array.isArray(data)) return env;
  if (typeof data.name === 'string') env.name = data.name;
  if (Array.isArray(data.channels)) env.channels = data.channels.filter((c): c is string => typeof c === 'string');
  const deps = data.dependencies;
  if (!Array.isArray(deps)) return env;
  const at = (p: (string | number)[]): DependencyLocation => {
    const loc = doc.locate(p);
    return { file: doc.file, line: loc.line ?? 1, column: loc.column };
  };
  deps.forEach((d: unknown, i) => {
    if (typeof d === 'string' || typeof d === 'number') {
      env.dependencies.push(parseCondaSpec(String(d), at(['dependencies', i])));
    } else if (d && typeof d === 'object' && !Array.isArray(d) && Array.isArray((d as Record<string, unknown>).pip)) {
      ((d as Record<string, unknown>).pip as unknown[]).forEach((p, j) => {
        if (typeof p !== 'string' && typeof p !== 'number') return;
        const location = at(['dependencies', i, 'pip', j]);
        const parsed = parsePipLine(String(p), location);
        if (parsed.type === 'dependency') env.dependencies.push(parsed.dependency);
        else if (parsed.type === 'include' && !parsed.constraint) {
          const file = projectRelative(doc.file, parsed.file);
          env.includes.push({ file, location, text: String(p).trim() });
          env.dependencies.push(...readRequirements(file, location, own));
        }
      });
    }
  });
  if (!ctx && own.errors.length > 0) throw ConfigurationError.all(own.errors);
  return env;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Judging                                                                                                        */

export interface DependencyProblem {
  rule: Extract<RuleId, 'env/unpinned-package' | 'env/local-path-dependency'>;
  severity: Severity;
  message: string;
}

const FULL = /^[0-9a-f]{40}$/i;

/** What is wrong with how a dependency is pinned and what to write instead; undefined when it is pinned. */
export function dependencyProblem(dep: Dependency): DependencyProblem | undefined {
  const label = `\`${dep.text}\``;
  const show = dep.manager === 'pip' ? 'pip show' : 'conda list';
  if (dep.kind === 'local' || dep.editable) {
    const what = dep.editable ? 'an editable install' : 'a local path';
    return {
      rule: 'env/local-path-dependency',
      severity: 'error',
      message: `${label} is ${what}: the environment's content then depends on files outside its definition, which are not versioned with it (and the Azure ML image build cannot see them); publish the package to a feed and pin it (${dep.name || '<name>'}==<x.y.z>), or pin a VCS commit (git+https://…@<40-character commit>)`,
    };
  }
  if (dep.kind === 'vcs') {
    const ref = vcsRef(dep.url ?? '');
    if (ref !== undefined && FULL.test(ref)) return undefined;
    const base = (dep.url ?? '').split('#')[0]!;
    const repo = ref !== undefined ? base.slice(0, base.length - ref.length - 1) : base;
    return {
      rule: 'env/unpinned-package',
      severity: 'error',
      message:
        ref === undefined
          ? `${label} names no commit, so every build takes the default branch as it is then; pin a full commit: ${repo}@<40-character commit sha>`
          : `${label} names \`${ref}\`, a branch, tag or short sha that can move or become ambiguous; pin the full 40-character commit: ${repo}@<commit sha> (\`git rev-parse ${ref}\` shows it)`,
    };
  }
  if (dep.kind === 'url') {
    if (dep.hashed) return undefined;
    const file = (dep.url ?? '').split(/[?#]/)[0]!.split('/').pop() ?? '';
    const versioned = /-\d[^/]*\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(file);
    return {
      rule: 'env/unpinned-package',
      severity: versioned ? 'warning' : 'error',
      message: versioned
        ? `${label} is pinned by file name only: the content at a URL can change; add its hash: ${dep.url}#sha256=<hash> (\`pip hash <file>\` prints it)`
        : `${label} is a URL whose content can change between builds; point it at a versioned file and add its hash (…#sha256=<hash>), or install a pinned release (name==<x.y.z>)`,
    };
  }
  // A conda build string (`=0.1=conda_forge`, as `conda env export` writes) names one exact package build.
  if (
    dep.manager === 'conda' &&
    dep.build &&
    !dep.build.includes('*') &&
    (dep.constraint === 'exact' || dep.constraint === 'fuzzy')
  )
    return undefined;
  const name = dep.name;
  const op = dep.manager === 'pip' ? '==' : '=';
  const example = (v?: string): string => `${name}${op}${v ?? '<x.y.z>'}`;
  switch (dep.constraint) {
    case 'exact':
      if (dep.version !== undefined && isShortVersion(dep.version)) {
        return {
          rule: 'env/unpinned-package',
          severity: 'warning',
          message: `${label} names the series ${dep.version}, not a release (${dep.manager === 'pip' ? `pip reads it as ${dep.version}${dep.version.includes('.') ? '' : '.0'}.0` : 'a patch is not named'}); pin the full version x.y.z: ${example(`${dep.version}.<patch>`)}`,
        };
      }
      return undefined;
    case 'fuzzy':
      if (dep.version !== undefined && !isShortVersion(dep.version)) return undefined;
      if (dep.version !== undefined && dep.version.includes('.')) {
        return {
          rule: 'env/unpinned-package',
          severity: 'warning',
          message: `${label} matches any ${dep.version}.x release, so a rebuild can pick up a newer patch; pin the full version x.y.z: ${example(`${dep.version}.<patch>`)} (\`${show} ${name}\` shows the one you tested)`,
        };
      }
      return {
        rule: 'env/unpinned-package',
        severity: 'error',
        message: `${label} matches any ${dep.version ?? ''}.x release, which is a range, not a pin; pin one version: ${example()} (\`${show} ${name}\` shows the one you tested)`,
      };
    case 'range':
      return {
        rule: 'env/unpinned-package',
        severity: 'error',
        message: `${label} is a version range, not a pin: each build installs whatever is newest inside it; pin one version: ${example()} (\`${show} ${name}\` shows the one you tested)`,
      };
    case 'none':
      return {
        rule: 'env/unpinned-package',
        severity: 'error',
        message: `${label} has no version, so each build installs whatever is newest; pin it: ${example()} (\`${show} ${name}\` shows the one you tested)`,
      };
  }
}

/** env/unpinned-package and env/local-path-dependency findings for a list of dependencies. */
/** With `includeLocal: false`, local paths are not reported (a Dockerfile's paths are inside its build context). */
export function dependencyFindings(deps: readonly Dependency[], opts: { includeLocal?: boolean } = {}): Finding[] {
  const out: Finding[] = [];
  for (const dep of deps) {
    const p = dependencyProblem(dep);
    if (!p) continue;
    if (p.rule === 'env/local-path-dependency' && opts.includeLocal === false) continue;
    const f: Finding = {
      rule: p.rule,
      severity: p.severity,
      file: dep.location.file,
      line: dep.location.line,
      message: p.message,
      source: 'files',
    };
    if (dep.location.column !== undefined) f.column = dep.location.column;
    out.push(f);
  }
  return out;
}
