/**
 * How firmly dependencies are pinned (env/unpinned-package, env/local-path-dependency): the policy over what
 * parse/conda.ts, parse/pip.ts and parse/dockerfile-installs.ts read. A conda `=x.y.z` (fuzzy) counts as a pin
 * when it names x.y.z.
 */
import type { Finding, RuleId, Severity } from '../core/findings.js';
import type { Dependency } from '../parse/dependency.js';
import { vcsRef } from '../parse/pip.js';
import { quote } from '../core/inert.js';

/** 1 or 2 purely numeric components (`3.10`, `2`): a series rather than a release. `2024a`, `1.0rc1` are releases. */
function isShortVersion(v: string): boolean {
  return /^\d+(\.\d+)?$/.test(v);
}

export interface DependencyProblem {
  rule: Extract<RuleId, 'env/unpinned-package' | 'env/local-path-dependency'>;
  severity: Severity;
  message: string;
}

const FULL = /^[0-9a-f]{40}$/i;

/** What is wrong with how a dependency is pinned and what to write instead; undefined when it is pinned. */
export function dependencyProblem(dep: Dependency): DependencyProblem | undefined {
  const label = quote(dep.text);
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
          : `${label} names ${quote(ref)}, a branch, tag or short sha that can move or become ambiguous; pin the full 40-character commit: ${repo}@<commit sha> (\`git rev-parse ${ref}\` shows it)`,
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
