/**
 * audit: what runs and bills in the live workspace, read through the Azure adapter (list operations only, so an audit
 * never changes anything), judged by src/audit with today's prices, printed, put in the job summary, and kept as one
 * GitHub issue that is updated in place and closed when the audit is clean. Exit 1 while an error finding remains.
 */
import { localRegistries } from '../adapters/local/registry.js';
import { pricesFor, type PriceMode } from '../adapters/prices/index.js';
import { auditFindings, monthlyTotal, type AuditContext } from '../audit/audit.js';
import type { AuditFacts, AuditSource, ProductionModel } from '../audit/facts.js';
import { auditMarker, auditTitle, renderJson, renderMarkdown, renderText, type AuditReport } from '../audit/render.js';
import { loadConfig } from '../config/load.js';
import type { TfamlConfig } from '../config/types.js';
import { canonicalSku } from '../cost/catalog.js';
import { hourly } from '../cost/estimate.js';
import { ConfigurationError } from '../core/errors.js';
import { RULES } from '../core/findings.js';
import { readBoolean, readChoice, type Inputs, type Output } from '../core/io.js';
import type { IssueHost, Log, Prices, PriceSourceInfo, VmPrice } from '../core/ports.js';
import { OWNER_TAGS } from '../core/tags.js';
import { readLock } from '../lock/lockfile.js';

export interface AuditSettings {
  /** Path of tfaml.yml (default ./tfaml.yml): the workspace, tfaml.lock beside it, policy and train settings. */
  config: string;
  format: 'text' | 'json';
  prices: PriceMode;
  /** The Azure credential mode (auto, oidc, client-secret, managed-identity, azure-login); env TFAML_AUTH. */
  auth?: string;
  /** A token that may write issues (masked as soon as it is read). */
  githubToken?: string;
  /** Create, update or close the repository's one audit issue. */
  postIssue: boolean;
  /** GITHUB_REPOSITORY and GITHUB_API_URL. */
  repository?: string;
  apiUrl?: string;
}

export function readAuditSettings(inputs: Inputs, mode: Output['mode'], mask: (s: string) => void): AuditSettings {
  const token = inputs.get('github-token');
  if (token) mask(token);
  return {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    prices: readChoice(inputs, 'prices', ['auto', 'api', 'snapshot'], 'auto'),
    auth: inputs.get('auth'),
    githubToken: token,
    postIssue: readBoolean(inputs, 'post-issue', mode === 'action'),
    repository: process.env.GITHUB_REPOSITORY,
    apiUrl: process.env.GITHUB_API_URL,
  };
}

export interface AuditDeps {
  source?: AuditSource;
  prices?: Prices;
  issues?: IssueHost;
  /** The production registry's versions of a model (default: the registry tfaml.yml names). */
  production?: (config: TfamlConfig, model: string) => Promise<{ description: string; models: ProductionModel[] }>;
  now?: () => number;
  mask?: (s: string) => void;
}

async function productionModels(
  config: TfamlConfig,
  model: string,
  auth: string | undefined,
): Promise<{ description: string; models: ProductionModel[] }> {
  const p = config.registries.production;
  if (p.kind === 'local') {
    const reg = localRegistries(config.root).production;
    return { description: reg.description, models: await reg.list(model) };
  }
  const { openModelRegistry } = await import('../adapters/azure/index.js');
  const target = p.kind === 'registry' ? { registry: p.name, via: config.workspace! } : { workspace: p.workspace };
  const reg = await openModelRegistry(target, { auth });
  return { description: reg.description, models: await reg.list(model) };
}

async function priceTable(
  prices: Prices,
  region: string,
  skus: string[],
): Promise<{ prices: VmPrice[]; source: PriceSourceInfo }> {
  const r = await prices.lookup(region, skus);
  return { prices: r.prices, source: r.source };
}

function locked(root: string, log: Log): AuditContext['locked'] {
  const lock = readLock(root);
  if (!lock)
    log.warning(
      'audit: there is no tfaml.lock beside tfaml.yml, so every registered environment and data version is untracked',
    );
  return {
    environments: new Set(Object.keys(lock?.environments ?? {})),
    data: new Set(Object.keys(lock?.data ?? {})),
  };
}

export async function audit(inputs: Inputs, out: Output, deps: AuditDeps = {}): Promise<number> {
  const mask = deps.mask ?? ((secret: string) => out.mask(secret));
  const s = readAuditSettings(inputs, out.mode, mask);
  const config = loadConfig(s.config, { knownRules: Object.keys(RULES) });
  const ref = config.workspace;
  if (!ref && !deps.source)
    throw new ConfigurationError(
      'tfaml audit reads a live Azure ML workspace, and tfaml.yml names none: add `workspace:` (subscription-id, resource-group, name)',
      config.doc.locate([]),
    );
  // Everything that can fail on the input (the lockfile, the token, the repository) fails before Azure is asked.
  const lockedKeys = locked(config.root, out.log);
  if (s.postIssue && !deps.issues && (!s.githubToken || !s.repository))
    throw new ConfigurationError(
      `post-issue needs ${!s.githubToken ? 'github-token' : 'GITHUB_REPOSITORY (owner/name)'} to write the audit issue`,
    );

  let source = deps.source;
  if (!source) {
    const { openAuditSource } = await import('../adapters/azure/audit.js');
    source = openAuditSource(ref!, { auth: s.auth });
  }
  out.log.info(`audit: reading ${source.description}`);
  const location = await source.location(); // a wrong name or a missing role fails here, naming which
  const [computes, deployments, jobs, environments, data] = await Promise.all([
    source.computes(),
    source.deployments(),
    source.activeJobs(),
    source.environments(),
    source.dataVersions(),
  ]);
  const facts: AuditFacts = { computes, deployments, jobs, environments, data };
  if (config.model)
    facts.production = await (deps.production ?? ((c, m) => productionModels(c, m, s.auth)))(config, config.model.name);

  const region = location ?? config.cost?.region;
  const skus = [
    ...computes.map((c) => c.vmSize),
    ...deployments.map((d) => d.instanceType),
    ...jobs.map((j) => j.instanceType),
  ]
    .filter((k): k is string => k !== undefined)
    .map((k) => canonicalSku(k));
  let table: VmPrice[] = [];
  let priceSource = 'no prices: the workspace reports no region and tfaml.yml has no cost.region';
  if (region && skus.length) {
    const prices = deps.prices ?? pricesFor(s.prices, { projectRoot: config.root, log: out.log, currency: 'USD' });
    const t = await priceTable(prices, region, [...new Set(skus)]);
    table = t.prices;
    priceSource = `${t.source.kind === 'api' ? 'Azure Retail Prices API' : 'the bundled price snapshot, approximate'}, ${t.source.date}`;
  } else if (region) priceSource = 'nothing to price';

  const ctx: AuditContext = {
    now: (deps.now ?? Date.now)(),
    hourly: (sku, low) =>
      region ? hourly(table, region, canonicalSku(sku), low ? 'low-priority' : 'dedicated')?.price : undefined,
    maxIdleSeconds: config.policy.maxIdleSeconds,
    expectedHours: config.train?.expectedHours,
    locked: lockedKeys,
    ownerTags: OWNER_TAGS,
  };
  const findings = auditFindings(facts, ctx);
  const report: AuditReport = {
    workspace: source.description,
    workspaceName: ref?.name ?? source.description,
    findings,
    prices: priceSource,
    region,
    at: new Date(ctx.now).toISOString(),
  };
  const markdown = renderMarkdown(report);
  const json = renderJson(report);

  let issueUrl = '';
  if (s.postIssue) {
    let host = deps.issues;
    if (!host) {
      const { gitHubCodeHost } = await import('../adapters/github/code-host.js');
      host = gitHubCodeHost({ token: s.githubToken!, repository: s.repository!, baseUrl: s.apiUrl });
    }
    const r = await host.syncIssue(
      auditMarker(report.workspaceName),
      auditTitle(report),
      findings.length ? markdown : undefined,
    );
    issueUrl = r.url ?? '';
    out.log.info(r.action === 'none' ? 'audit: clean, and no audit issue is open' : `audit: ${r.action} ${r.url}`);
  }

  out.print(s.format === 'json' ? JSON.stringify(json, null, 2) + '\n' : renderText(report));
  await out.summary(markdown);
  out.setOutput('errors', String(json.summary.errors));
  out.setOutput('warnings', String(json.summary.warnings));
  out.setOutput('month-usd', monthlyTotal(findings).toFixed(2));
  out.setOutput('issue-url', issueUrl);
  out.setOutput('audit-json', JSON.stringify(json));
  return json.summary.errors > 0 ? 1 : 0;
}
