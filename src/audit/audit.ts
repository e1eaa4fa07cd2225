/**
 * The audit itself: live facts in, findings out, each with what the resource costs a month if it stays as it is now
 * (hourly list price × nodes × 730 h). Pure: the clock, the prices and the policy come in as values.
 */
import type { Severity } from '../core/findings.js';
import { SUBMISSION_TAG } from '../core/tags.js';
import type { AuditFacts, LiveCompute, LiveDeployment, LiveJob } from './facts.js';
import { AUDIT_RULES, type AuditRuleId } from './rules.js';

export const HOURS_PER_MONTH = 730;

export interface AuditFinding {
  rule: AuditRuleId;
  severity: Severity;
  /** The resource, as its path inside the workspace (computes/gpu-ci) or registry. Azure's text: untrusted. */
  resource: string;
  /** What it costs a month at its current state and today's prices; null when its size has no price. */
  monthlyUsd: number | null;
  message: string;
}

export interface AuditContext {
  /** Now, in ms since the epoch. */
  now: number;
  /** The Linux hourly price of a VM size in the workspace's region (low-priority meter when asked), if known. */
  hourly: (sku: string, lowPriority?: boolean) => number | undefined;
  /** policy.max-idle-seconds (from the trusted tfaml.yml of the branch the audit runs on). */
  maxIdleSeconds: number;
  /** train.expected-hours, when tfaml.yml sets it. */
  expectedHours?: number;
  /** name:version keys of tfaml.lock's environments and data. */
  locked: { environments: ReadonlySet<string>; data: ReadonlySet<string> };
  /** The tag keys that name a production model's owner (case-insensitive). */
  ownerTags: readonly string[];
}

/** Compute instance states in which it bills (ComputeInstanceState in the REST API). */
const INSTANCE_BILLING = ['Running', 'JobRunning', 'Starting', 'Restarting', 'SettingUp', 'UserSettingUp'];

const cents = (n: number) => Math.round(n * 100) / 100;
const usd = (n: number) => `$${n.toFixed(2)}`;

function monthly(ctx: AuditContext, sku: string | undefined, nodes: number, lowPriority?: boolean): number | null {
  if (nodes <= 0) return 0;
  if (!sku) return null;
  const h = ctx.hourly(sku, lowPriority);
  return h === undefined ? null : cents(h * nodes * HOURS_PER_MONTH);
}

/** " ($123.45 a month)", or why there is no figure. */
function costText(m: number | null, sku: string | undefined): string {
  if (m === null) return sku ? ` (no price for ${sku} in the workspace's region)` : ' (its VM size is not reported)';
  return m > 0 ? ` (${usd(m)} a month)` : '';
}

const duration = (s: number) =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;

function instance(c: LiveCompute, ctx: AuditContext): AuditFinding | undefined {
  const billing = INSTANCE_BILLING.includes(c.state ?? '');
  const guarded = (c.idleShutdownSeconds ?? 0) > 0 || (c.stopSchedules ?? 0) > 0;
  if (!billing && guarded) return undefined;
  const m = billing ? monthly(ctx, c.vmSize, 1) : 0;
  const resource = `computes/${c.name}`;
  const size = c.vmSize ?? 'unknown size';
  const fix = 'set an idle shutdown (idle_time_before_shutdown_minutes) or a stop schedule';
  if (billing && !guarded)
    return {
      rule: 'audit/compute-instance-running',
      severity: 'error',
      resource,
      monthlyUsd: m,
      message: `compute instance ${c.name} (${size}) is ${c.state} with no idle shutdown and no stop schedule, so it bills until someone stops it${costText(m, c.vmSize)}; stop it when unused and ${fix}`,
    };
  if (billing) {
    const how =
      (c.idleShutdownSeconds ?? 0) > 0
        ? `it shuts down after ${duration(c.idleShutdownSeconds!)} idle`
        : 'a schedule stops it';
    return {
      rule: 'audit/compute-instance-running',
      severity: 'warning',
      resource,
      monthlyUsd: m,
      message: `compute instance ${c.name} (${size}) is ${c.state}${costText(m, c.vmSize)} while it stays up; ${how}`,
    };
  }
  const would = monthly(ctx, c.vmSize, 1);
  return {
    rule: 'audit/compute-instance-running',
    severity: 'warning',
    resource,
    monthlyUsd: 0,
    message: `compute instance ${c.name} (${size}) is ${c.state ?? 'in an unknown state'} but has no idle shutdown and no stop schedule: once started it runs until someone stops it${would ? ` (${usd(would)} a month)` : ''}; ${fix}`,
  };
}

function cluster(c: LiveCompute, busy: ReadonlySet<string>, ctx: AuditContext): AuditFinding | undefined {
  const min = c.minNodes ?? 0;
  const current = c.currentNodes ?? 0;
  const reasons: string[] = [];
  let severity: Severity = 'warning';
  if (min > 0) {
    severity = 'error';
    reasons.push(
      `min nodes is ${min}, so ${min} node${min === 1 ? '' : 's'} bill around the clock; set min_instances: 0`,
    );
  }
  if (c.idleSeconds !== undefined && c.idleSeconds > ctx.maxIdleSeconds)
    reasons.push(
      `idle scale-down is ${c.idleSeconds} s, above policy.max-idle-seconds (${ctx.maxIdleSeconds} s); set idle_time_before_scale_down to ${ctx.maxIdleSeconds} or less`,
    );
  const idleUp = current > min && (c.runningNodes ?? 0) === 0 && !busy.has(c.name);
  if (idleUp)
    reasons.push(
      `${current} node${current === 1 ? ' is' : 's are'} up and no job runs on it; they bill until idle scale-down${c.idleSeconds !== undefined ? ` (${c.idleSeconds} s)` : ''}`,
    );
  if (reasons.length === 0) return undefined;
  const m = monthly(ctx, c.vmSize, Math.max(min, current), c.lowPriority);
  return {
    rule: 'audit/cluster-not-scaled-to-zero',
    severity,
    resource: `computes/${c.name}`,
    monthlyUsd: m,
    message: `cluster ${c.name} (${c.vmSize ?? 'unknown size'})${costText(m, c.vmSize)}: ${reasons.join('; ')}`,
  };
}

function deployment(d: LiveDeployment, ctx: AuditContext): AuditFinding {
  const m = monthly(ctx, d.instanceType, d.instanceCount);
  const what = `${d.instanceCount} × ${d.instanceType ?? 'unknown size'} × ${HOURS_PER_MONTH} h`;
  const resource = `onlineEndpoints/${d.endpoint}/deployments/${d.name}`;
  if (d.traffic === 0)
    return {
      rule: 'audit/endpoint-always-on',
      severity: 'error',
      resource,
      monthlyUsd: m,
      message: `deployment ${d.name} of endpoint ${d.endpoint} takes 0% of the traffic and still bills ${what}${costText(m, d.instanceType)}; delete it, or scale it to what a test of it needs`,
    };
  return {
    rule: 'audit/endpoint-always-on',
    severity: 'warning',
    resource,
    monthlyUsd: m,
    message: `deployment ${d.name} of endpoint ${d.endpoint}${d.traffic !== undefined ? ` (${d.traffic}% of the traffic)` : ''} is always on: ${what}${costText(m, d.instanceType)}; if requests are rare or can wait, batch scoring costs nothing between runs`,
  };
}

function job(
  j: LiveJob,
  vmSizes: ReadonlyMap<string, string | undefined>,
  ctx: AuditContext,
): AuditFinding | undefined {
  if (!j.createdAt) return undefined;
  const started = Date.parse(j.createdAt);
  if (!Number.isFinite(started)) return undefined;
  const elapsed = (ctx.now - started) / 1000;
  const ours = j.tags[SUBMISSION_TAG] !== undefined;
  let over: string | undefined;
  if (j.timeoutSeconds !== undefined && elapsed > j.timeoutSeconds)
    over = `longer than its limits.timeout (${duration(j.timeoutSeconds)})`;
  else if (ours && ctx.expectedHours !== undefined && elapsed > ctx.expectedHours * 3 * 3600)
    over = `more than 3 × train.expected-hours (${ctx.expectedHours} h)`;
  if (!over) return undefined;
  const sku = j.instanceType ?? (j.compute ? vmSizes.get(j.compute) : undefined);
  const m = monthly(ctx, sku, j.instanceCount);
  return {
    rule: 'audit/job-over-limit',
    severity: 'error',
    resource: `jobs/${j.name}`,
    monthlyUsd: m,
    message: `job ${j.name} (${j.status}${j.compute ? ` on ${j.compute}` : ''}) was submitted ${duration(elapsed)} ago, ${over}${costText(m, sku)}; look at its logs and cancel it if it is stuck`,
  };
}

function rank(f: AuditFinding): number {
  return Object.keys(AUDIT_RULES).indexOf(f.rule);
}

export function auditFindings(facts: AuditFacts, ctx: AuditContext): AuditFinding[] {
  const out: AuditFinding[] = [];
  const busy = new Set(facts.jobs.map((j) => j.compute).filter((c): c is string => c !== undefined));
  const vmSizes = new Map(facts.computes.map((c) => [c.name, c.vmSize]));
  for (const c of facts.computes) {
    const f =
      c.computeType === 'ComputeInstance'
        ? instance(c, ctx)
        : c.computeType === 'AmlCompute'
          ? cluster(c, busy, ctx)
          : undefined;
    if (f) out.push(f);
  }
  for (const d of facts.deployments) out.push(deployment(d, ctx));
  for (const j of facts.jobs) {
    const f = job(j, vmSizes, ctx);
    if (f) out.push(f);
  }
  for (const [kind, list, locked, path] of [
    ['environment', facts.environments, ctx.locked.environments, 'environments'],
    ['data', facts.data, ctx.locked.data, 'data'],
  ] as const) {
    for (const a of list) {
      if (locked.has(`${a.name}:${a.version}`)) continue;
      out.push({
        rule: 'audit/untracked-asset',
        severity: 'warning',
        resource: `${path}/${a.name}/versions/${a.version}`,
        monthlyUsd: 0,
        message: `${kind} ${a.name}:${a.version} is registered in the workspace but no tfaml.lock entry accounts for it (registered from outside the repository); add its YAML to tfaml.yml and run \`tfaml lock\`, or archive it`,
      });
    }
  }
  const owners = ctx.ownerTags.map((t) => t.toLowerCase());
  for (const m of facts.production?.models ?? []) {
    const has = Object.entries(m.tags).some(([k, v]) => owners.includes(k.toLowerCase()) && v.trim() !== '');
    if (has) continue;
    out.push({
      rule: 'audit/untracked-asset',
      severity: 'warning',
      resource: `models/${m.name}/versions/${m.version}`,
      monthlyUsd: 0,
      message: `production model ${m.name}:${m.version} in ${facts.production!.description} has no owner tag (${ctx.ownerTags.join(' or ')}); tag it with the team that answers for it`,
    });
  }
  return out.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
  );
}

/** The monthly total of the findings that have a figure. */
export function monthlyTotal(findings: readonly AuditFinding[]): number {
  return cents(findings.reduce((s, f) => s + (f.monthlyUsd ?? 0), 0));
}
