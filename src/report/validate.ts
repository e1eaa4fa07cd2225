/** validate's report in its three shapes: terminal text, JSON (the contract), and a job-summary markdown table. */
import { ccLine } from './owners.js';
import { inertMd, inertMessage, mdCode, quote } from '../core/inert.js';
import type { CheckResult } from '../checks/index.js';
import { describeChange, type PolicySource } from '../config/policy.js';
import type { Finding } from '../core/findings.js';

export interface ValidateReport extends CheckResult {
  project: string;
  config: string;
  /** The base ref compared against, when there was one. */
  base?: string;
  /** With a base: whose policy judged the project, and what this pull request would change about it. */
  policy?: PolicySource;
  /** Files that were read (tfaml.yml and every Azure ML file), for the summary line. */
  files: number;
  /** With a base: the base's owners of the assets this pull request changes (src/config/owners.ts). */
  cc?: string[];
}

export function counts(r: CheckResult) {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: r.findings.length - errors, suppressed: r.suppressed.length };
}

/** The `--format json` document: `{"findings":[{rule,severity,file,line,message}], "summary":{...}}`. */
export function toJson(r: ValidateReport): object {
  const strip = (f: Finding) => ({
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    message: f.message,
    source: f.source ?? 'files',
  });
  return {
    findings: r.findings.map(strip),
    suppressed: r.suppressed.map((f) => ({ ...strip(f), reason: f.reason, new: f.new === true })),
    newSuppressions: r.newSuppressions ?? [],
    policy: r.policy
      ? r.policy.from === 'base'
        ? { ...r.policy, changes: r.policy.changes.map((c) => ({ ...c, message: describeChange(c, quote) })) }
        : r.policy
      : null,
    summary: { project: r.project, config: r.config, base: r.base ?? null, files: r.files, ...counts(r) },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(r: ValidateReport): string {
  const c = counts(r);
  const added = r.newSuppressions?.length ?? 0;
  const parts = [
    c.suppressed > 0 && `${c.suppressed} suppressed`,
    added > 0 && `${plural(added, 'new suppression')} in this PR`,
  ].filter(Boolean);
  const sup = parts.length ? ` (${parts.join('; ')})` : '';
  if (c.errors + c.warnings === 0) return `no findings in ${plural(r.files, 'file')}${sup}`;
  return `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')} in ${plural(r.files, 'file')}${sup}`;
}

export function toText(r: ValidateReport, opts: { color?: boolean } = {}): string {
  const paint = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  lines.push(`tfaml validate: ${r.project} (${r.config})${r.base ? `, compared with ${r.base}` : ''}`);
  if (r.policy?.from === 'base') for (const c of r.policy.changes) lines.push(`policy: ${describeChange(c, quote)}`);
  else if (r.policy?.from === 'pr') lines.push(`policy: this PR's own, because ${r.policy.reason}`);
  for (const f of r.findings) {
    const sev = f.severity === 'error' ? paint(31, 'error  ') : paint(33, 'warning');
    lines.push(
      `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}  ${sev}  ${paint(2, f.rule)}  ${f.message}${f.source === 'workspace' ? ' [workspace]' : ''}`,
    );
  }
  if (r.suppressed.length > 0) {
    lines.push('', `suppressed (${r.suppressed.length}):`);
    for (const f of r.suppressed)
      lines.push(`  ${f.file}:${f.line}  ${f.rule}${f.new ? ' (new)' : ''}  ${f.message}\n    reason: ${f.reason}`);
  }
  const added = r.newSuppressions ?? [];
  if (added.length > 0) {
    lines.push(
      '',
      `new suppressions in this PR, not on ${r.base} (${added.length}); they apply, so check the reasons:`,
    );
    for (const a of added)
      lines.push(
        `  ${a.file}:${a.line}  ${a.rule}${a.path ? ` in ${a.path}` : ''}  hides ${plural(a.hides, 'finding')}\n    reason: ${a.reason}`,
      );
  }
  const c = counts(r);
  lines.push('', c.errors > 0 ? paint(31, `✖ ${summaryLine(r)}`) : paint(32, `✔ ${summaryLine(r)}`));
  return lines.join('\n') + '\n';
}

/** Messages and reasons carry values from the pull request's files: rendered inert. */
const cell = inertMessage;
const where = (f: { file: string; line: number }) => mdCode(`${f.file}:${f.line}`, { table: true });

export function toMarkdown(r: ValidateReport): string {
  const c = counts(r);
  const out: string[] = [];
  out.push(`### tfaml validate: ${c.errors > 0 ? '❌' : '✅'} ${summaryLine(r)}`, '');
  out.push(
    `Project ${mdCode(r.project)} (${mdCode(r.config)})${r.base ? `, compared with ${mdCode(r.base)}` : ''}.`,
    '',
  );
  // The policy that judged this PR is the base's: a change to it is told, never applied before it merges.
  if (r.policy?.from === 'base' && r.policy.changes.length > 0)
    out.push(...r.policy.changes.map((c) => `> ⚠️ ${describeChange(c, (v) => mdCode(v))}.`), '');
  else if (r.policy?.from === 'pr')
    out.push(
      `> The policy is this PR's own: ${inertMd(r.policy.reason)}. Once tfaml.yml is on the base, the base's policy judges pull requests.`,
      '',
    );
  if (r.findings.length > 0) {
    out.push('| | rule | where | what to change |', '|---|---|---|---|');
    for (const f of r.findings)
      out.push(
        `| ${f.severity === 'error' ? '❌ error' : '⚠️ warning'} | \`${f.rule}\` | ${where(f)} | ${cell(f.message)} |`,
      );
    out.push('');
  }
  const added = r.newSuppressions ?? [];
  if (added.length > 0) {
    out.push(
      `**⚠️ New in this PR: ${plural(added.length, 'suppression')}** (not on ${mdCode(r.base ?? '')}). Suppressions apply as written; check what each hides and why.`,
      '',
      '| rule | where | scope | hides | reason |',
      '|---|---|---|---|---|',
    );
    for (const a of added)
      out.push(
        `| ${mdCode(a.rule, { table: true })} | ${where(a)} | ${a.path === undefined ? 'every file' : mdCode(a.path, { table: true })} | ${plural(a.hides, 'finding')} | ${cell(a.reason)} |`,
      );
    out.push('');
  }
  if (r.suppressed.length > 0) {
    out.push(
      `<details><summary>${r.suppressed.length} suppressed</summary>`,
      '',
      '| rule | where | finding | reason |',
      '|---|---|---|---|',
    );
    for (const f of r.suppressed)
      out.push(`| \`${f.rule}\`${f.new ? ' (new)' : ''} | ${where(f)} | ${cell(f.message)} | ${cell(f.reason)} |`);
    out.push('', '</details>', '');
  }
  const cc = ccLine(r.cc ?? []);
  if (cc) out.push(cc, '');
  return out.join('\n');
}
