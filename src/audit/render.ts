/**
 * The audit report: plain text for a terminal, markdown for the job summary and the GitHub issue (the same text), and
 * the JSON document. Resource names and messages carry Azure's text, which anyone with write access to the workspace
 * chose: markdown gets them through inertMd / inertMessage, so a name can never mention, link or break the table.
 */
import { inertMd, inertMessage } from '../core/inert.js';
import { monthlyTotal, type AuditFinding } from './audit.js';

export interface AuditReport {
  /** "workspace mlw-dev (resource group rg-ml-dev)". */
  workspace: string;
  /** The workspace's name, for the issue's marker and title. */
  workspaceName: string;
  findings: AuditFinding[];
  /** Where the prices came from ("Azure Retail Prices API, 2026-12-01"). */
  prices: string;
  region?: string;
  /** ISO 8601. */
  at: string;
}

/** The hidden marker that opens the one audit issue of a workspace (with the token's own authorship, see code-host.ts). */
export function auditMarker(workspaceName: string): string {
  return `<!-- tfaml-audit: ${workspaceName.replace(/-->/g, '')} -->`;
}

const money = (n: number | null) => (n === null ? 'n/a' : `$${n.toFixed(2)}`);

function counts(findings: readonly AuditFinding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

export function auditTitle(r: AuditReport): string {
  const { errors, warnings } = counts(r.findings);
  return `tfaml audit: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in workspace ${r.workspaceName} (${money(monthlyTotal(r.findings))} a month)`;
}

export function renderText(r: AuditReport): string {
  const { errors, warnings } = counts(r.findings);
  const lines = [`tfaml audit of ${r.workspace}${r.region ? ` in ${r.region}` : ''} at ${r.at}`];
  if (r.findings.length === 0) lines.push('clean: nothing runs or bills that the audit flags');
  for (const f of r.findings)
    lines.push(
      `${f.severity.padEnd(7)} ${f.rule}  ${f.resource}  ${money(f.monthlyUsd)}/month`,
      `        ${f.message}`,
    );
  lines.push(
    `${errors} error(s), ${warnings} warning(s); ${money(monthlyTotal(r.findings))} a month at current prices (${r.prices}, 730 h a month)`,
  );
  return lines.join('\n') + '\n';
}

export function renderMarkdown(r: AuditReport): string {
  const { errors, warnings } = counts(r.findings);
  const out = [
    auditMarker(r.workspaceName),
    `## tfaml audit: ${inertMd(r.workspace)}`,
    '',
    `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}; **${money(monthlyTotal(r.findings))} a month** at current prices if everything stays as it is now (${inertMd(r.prices)}${r.region ? `, ${inertMd(r.region)}` : ''}, 730 h a month). Read at ${inertMd(r.at)}.`,
    '',
  ];
  if (r.findings.length === 0) {
    out.push('Clean: nothing runs or bills that the audit flags.', '');
    return out.join('\n');
  }
  out.push('| | rule | resource | a month | what to do |', '|---|---|---|---:|---|');
  for (const f of r.findings)
    out.push(
      `| ${f.severity === 'error' ? '❌' : '⚠️'} | ${f.rule} | ${inertMd(f.resource)} | ${money(f.monthlyUsd)} | ${inertMessage(f.message)} |`,
    );
  out.push('', 'This issue is updated in place by the scheduled audit and closed when the audit is clean.', '');
  return out.join('\n');
}

export function renderJson(r: AuditReport) {
  const { errors, warnings } = counts(r.findings);
  return {
    workspace: r.workspace,
    region: r.region ?? null,
    at: r.at,
    prices: r.prices,
    findings: r.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      resource: f.resource,
      monthlyUsd: f.monthlyUsd,
      message: f.message,
    })),
    summary: { errors, warnings, monthlyUsd: monthlyTotal(r.findings) },
  };
}
