/** validate's report in its three shapes: terminal text, JSON (the contract), and a job-summary markdown table. */
import { inertMessage, mdCode } from '../core/inert.js';
import type { CheckResult } from '../checks/index.js';
import type { Finding } from '../core/findings.js';

export interface ValidateReport extends CheckResult {
  project: string;
  config: string;
  /** The base ref compared against, when there was one. */
  base?: string;
  /** Files that were read (tfaml.yml and every Azure ML file), for the summary line. */
  files: number;
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
    suppressed: r.suppressed.map((f) => ({ ...strip(f), reason: f.reason })),
    summary: { project: r.project, config: r.config, base: r.base ?? null, files: r.files, ...counts(r) },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(r: ValidateReport): string {
  const c = counts(r);
  const sup = c.suppressed ? ` (${c.suppressed} suppressed)` : '';
  if (c.errors + c.warnings === 0) return `no findings in ${plural(r.files, 'file')}${sup}`;
  return `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')} in ${plural(r.files, 'file')}${sup}`;
}

export function toText(r: ValidateReport, opts: { color?: boolean } = {}): string {
  const paint = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  lines.push(`tfaml validate: ${r.project} (${r.config})${r.base ? `, compared with ${r.base}` : ''}`);
  for (const f of r.findings) {
    const sev = f.severity === 'error' ? paint(31, 'error  ') : paint(33, 'warning');
    lines.push(
      `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}  ${sev}  ${paint(2, f.rule)}  ${f.message}${f.source === 'workspace' ? ' [workspace]' : ''}`,
    );
  }
  if (r.suppressed.length > 0) {
    lines.push('', `suppressed (${r.suppressed.length}):`);
    for (const f of r.suppressed) lines.push(`  ${f.file}:${f.line}  ${f.rule}  ${f.message}\n    reason: ${f.reason}`);
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
  if (r.findings.length > 0) {
    out.push('| | rule | where | what to change |', '|---|---|---|---|');
    for (const f of r.findings)
      out.push(
        `| ${f.severity === 'error' ? '❌ error' : '⚠️ warning'} | \`${f.rule}\` | ${where(f)} | ${cell(f.message)} |`,
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
    for (const f of r.suppressed) out.push(`| \`${f.rule}\` | ${where(f)} | ${cell(f.message)} | ${cell(f.reason)} |`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
