/**
 * cost: what one training run and the always-on capacity will cost, against the base ref and the budget, as one
 * markdown report that is printed, put in the job summary, and posted as the pull request's one cost comment.
 * Everything that can fail on the user's input (config, sizes, prices, the base, labels) happens before anything
 * is posted, so a failing run never leaves a half-written comment behind.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { localRegistries } from '../adapters/local/registry.js';
import { openBaseFiles, openBaseRef } from '../adapters/local/git.js';
import { pricesFor, type PriceMode } from '../adapters/prices/index.js';
import { loadConfig } from '../config/load.js';
import { changedAssets, ownersOf, readBaseOwners } from '../config/owners.js';
import { judgingPolicy, policyOf, readBasePolicy, type BasePolicy, type PolicyKey } from '../config/policy.js';
import { loadProject } from '../config/project.js';
import { quote } from '../core/inert.js';
import { nearest } from '../core/nearest.js';
import { TAGS } from '../core/tags.js';
import { AZURE_REGIONS, SUPPORTED_CURRENCIES, knownRegions, suggestSkus } from '../cost/catalog.js';
import {
  actualCost,
  budgetGate,
  diffEstimates,
  estimate,
  type ActualCost,
  type CostDiff,
  type Estimate,
} from '../cost/estimate.js';
import { planCost, planSkus, type CostPlan } from '../cost/plan.js';
import { costHistory, recordedRuns, renderHistory, type RecordedRun } from '../cost/history.js';
import { marker, renderJson, renderMarkdown, type CostReport } from '../cost/render.js';
import { reportLink } from '../cost/report-link.js';
import { ConfigurationError, UsageError, errorMessage } from '../core/errors.js';
import { RULES } from '../core/findings.js';
import type { TfamlConfig } from '../config/types.js';
import {
  type CodeHost,
  type Log,
  type MissingPrice,
  type ModelVersion,
  type PriceSourceInfo,
  type Prices,
  type VmPrice,
} from '../core/ports.js';
import { readBoolean, readChoice, type Inputs, type Output } from '../core/io.js';

export interface CostSettings {
  /** Path of tfaml.yml (default ./tfaml.yml). */
  config: string;
  /** `text` prints the markdown report; `json` one JSON document. */
  format: 'text' | 'json';
  /** The git ref to diff against (the action passes the PR's base SHA). */
  base?: string;
  /** auto: the Retail Prices API, the bundled snapshot when it cannot be reached; api: never the snapshot; snapshot: never the API. */
  prices: PriceMode;
  /** A token that may comment on the pull request (masked as soon as it is read). */
  githubToken?: string;
  /** The pull request, from the input or the event payload (GITHUB_EVENT_PATH). */
  pr?: number;
  /** Whether the pull request's event says its head is a fork (its token is read-only). */
  fork: boolean;
  /** Post (or update) the pull request comment when a token and a pull request are known. */
  postComment: boolean;
  /** The real duration of a finished training run, in seconds (adds the actual cost to the report). */
  actualDurationSeconds?: number;
  /** Take the actual duration from the newest version in the experiment registry instead. */
  actualFromRegistry: boolean;
  /** List the last runs' estimated and actual cost from the registry's tags instead of estimating. */
  history: boolean;
  /** The run report's artifact URL as given; linked only when src/cost/report-link.ts accepts it. */
  reportUrl?: string;
  /** GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_SERVER_URL. */
  repository?: string;
  apiUrl?: string;
  serverUrl?: string;
}

function eventPayload(): Record<string, unknown> | undefined {
  const p = process.env.GITHUB_EVENT_PATH;
  if (!p) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function readCostSettings(
  inputs: Inputs,
  mode: Output['mode'],
  mask: (secret: string) => void = () => {},
): CostSettings {
  const token = inputs.get('github-token');
  if (token) mask(token);
  const payload = eventPayload() as
    | {
        pull_request?: {
          number?: number;
          head?: { repo?: { full_name?: string } };
          base?: { repo?: { full_name?: string } };
        };
        number?: number;
      }
    | undefined;
  const prText = inputs.get('pr-number');
  let pr: number | undefined;
  if (prText !== undefined) {
    if (!/^[1-9]\d*$/.test(prText))
      throw new UsageError(`input pr-number is ${JSON.stringify(prText)}; it must be a pull request number such as 42`);
    pr = Number(prText);
  } else {
    pr = payload?.pull_request?.number;
  }
  const head = payload?.pull_request?.head?.repo?.full_name;
  const baseRepo = payload?.pull_request?.base?.repo?.full_name;
  const dur = inputs.get('actual-duration-s');
  if (dur !== undefined && !/^\d+(\.\d+)?$/.test(dur))
    throw new UsageError(
      `input actual-duration-s is ${JSON.stringify(dur)}; it must be the run's duration in seconds, e.g. 1830`,
    );
  const s: CostSettings = {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    base: inputs.get('base'),
    prices: readChoice(inputs, 'prices', ['auto', 'api', 'snapshot'], 'auto'),
    githubToken: token,
    pr,
    fork: head !== undefined && baseRepo !== undefined && head !== baseRepo,
    postComment: readBoolean(inputs, 'post-comment', mode === 'action'),
    actualDurationSeconds: dur === undefined ? undefined : Number(dur),
    actualFromRegistry: readBoolean(inputs, 'actual-from-registry', false),
    history: readBoolean(inputs, 'history', false),
    reportUrl: inputs.get('report-url')?.trim() || undefined,
    repository: process.env.GITHUB_REPOSITORY,
    apiUrl: process.env.GITHUB_API_URL,
    serverUrl: process.env.GITHUB_SERVER_URL,
  };
  if (s.actualDurationSeconds !== undefined && s.actualFromRegistry)
    throw new UsageError('give either actual-duration-s or actual-from-registry, not both');
  return s;
}

/** A size without a price is an error at the line that names it, with the nearest sizes or the regions that have it. */
function missingPriceError(plan: CostPlan, m: MissingPrice, source: PriceSourceInfo): ConfigurationError {
  const at = [
    ...(plan.training && plan.training.instanceType === m.sku ? [plan.training.sizeAt] : []),
    ...plan.endpoints.filter((e) => e.instanceType === m.sku).map((e) => e.sizeAt),
  ];
  const where = source.kind === 'snapshot' ? 'the offline price snapshot' : 'the Azure Retail Prices API';
  if (m.pricedIn.length === 0) {
    const near = suggestSkus(m.sku);
    return new ConfigurationError(
      `unknown VM size ${m.sku}: ${where} has no Linux price for it in any region; did you mean ${near.join(', ')}? (the names armSkuName uses, e.g. Standard_NC6s_v3)`,
      at[0],
    );
  }
  const list =
    m.pricedIn.length > 8
      ? `${m.pricedIn.slice(0, 8).join(', ')} and ${m.pricedIn.length - 8} more`
      : m.pricedIn.join(', ');
  // Only a region we do not know is a likely misspelling; westus3 is not a typo of westus2.
  const near =
    knownRegions().includes(plan.region) || AZURE_REGIONS.includes(plan.region)
      ? undefined
      : nearest(plan.region, m.pricedIn);
  return new ConfigurationError(
    `${m.sku} has no price in region ${plan.region} (cost.region) in ${where}; ${near ? `did you mean ${near}? ` : ''}it is priced in ${list}. Set cost.region to the region the workspace runs in, or pick a size offered there`,
    plan.regionAt,
  );
}

async function priceAll(
  prices: Prices,
  wanted: Map<string, Set<string>>,
): Promise<{ prices: VmPrice[]; missing: Map<string, MissingPrice[]>; source: PriceSourceInfo }> {
  const all: VmPrice[] = [];
  const missing = new Map<string, MissingPrice[]>();
  let source: PriceSourceInfo | undefined;
  for (const [region, skus] of wanted) {
    const r = await prices.lookup(region, [...skus]);
    all.push(...r.prices);
    missing.set(region, r.missing);
    // One snapshot answer makes the whole report a snapshot report.
    if (!source || r.source.kind === 'snapshot') source = r.source;
  }
  return { prices: all, missing, source: source! };
}

async function experimentVersions(config: TfamlConfig, model: string, log: Log): Promise<ModelVersion[]> {
  if (config.registries.experiment === 'local' || !config.workspace)
    return localRegistries(config.root).experiment.list(model);
  // Durations only sharpen the estimate: a pull request's job often has no Azure credentials, and that must not
  // stop the cost report. Loaded lazily, so a project without a workspace never loads @azure/*.
  try {
    const { openModelRegistry } = await import('../adapters/azure/index.js');
    return await (await openModelRegistry({ workspace: config.workspace })).list(model);
  } catch (e) {
    log.warning(
      `cost: could not read earlier run durations from workspace ${config.workspace.name} (${errorMessage(e).split('\n')[0]}); estimating from train.expected-hours`,
    );
    return [];
  }
}

async function pastRuns(
  model: string | undefined,
  config: TfamlConfig,
  log: Log,
): Promise<{ runs: RecordedRun[]; latest?: RecordedRun }> {
  if (!model) return { runs: [] };
  // list() is in version order, oldest first; a version without a recorded duration tells nothing.
  const runs = recordedRuns(await experimentVersions(config, model, log));
  return { runs, latest: runs[runs.length - 1] };
}

/** `--history`: the last runs' estimated and actual cost as the experiment registry's tags record them. */
async function printHistory(s: CostSettings, config: TfamlConfig, out: Output): Promise<number> {
  const model = config.model?.name;
  if (!model)
    throw new ConfigurationError(
      'cost --history lists the runs of `model.name`, and tfaml.yml has no `model`',
      config.doc.locate([]),
    );
  const where =
    config.registries.experiment === 'local' || !config.workspace
      ? localRegistries(config.root).experiment.description
      : `workspace ${config.workspace.name}`;
  const rows = costHistory((await pastRuns(model, config, out.log)).runs);
  if (s.format === 'json') out.print(JSON.stringify({ model, registry: where, runs: rows }, null, 2) + '\n');
  else out.print(renderHistory(model, where, rows));
  return 0;
}

interface BaseSide {
  plan?: CostPlan;
  missing?: string;
  /** The base's budget, which judges the pull request (read even when the base's plan cannot be made). */
  policy: BasePolicy;
}

/** The settings cost enforces, and so the only changes to them it tells. */
const BUDGET_KEYS: PolicyKey[] = ['cost.budget-usd', 'cost.max-increase-usd', 'cost.override-label'];

function loadBase(configPath: string, ref: string): BaseSide {
  const files = openBaseFiles(path.dirname(path.resolve(configPath)), ref);
  const policy = readBasePolicy(configPath, files, ref);
  if (!files.exists(path.resolve(configPath)))
    return { missing: `${path.basename(configPath)} did not exist at ${ref}`, policy };
  try {
    const project = loadProject(loadConfig(configPath, { files, knownRules: Object.keys(RULES) }));
    const plan = planCost(project);
    return plan ? { plan, policy } : { missing: `tfaml.yml at ${ref} has no \`cost:\` section`, policy };
  } catch (e) {
    if (e instanceof ConfigurationError) return { missing: `its files could not be used (${e.message})`, policy };
    throw e;
  }
}

export async function cost(
  inputs: Inputs,
  out: Output,
  deps: { prices?: Prices; codeHost?: CodeHost; mask?: (s: string) => void } = {},
): Promise<number> {
  // Mask the token in the job log the moment it is read (habit 5, docs/architecture.md); the CLI has no log to mask.
  const mask = deps.mask ?? ((secret: string) => out.mask(secret));
  const s = readCostSettings(inputs, out.mode, mask);
  const config = loadConfig(s.config, { knownRules: Object.keys(RULES) });
  if (s.history) return printHistory(s, config, out);
  const project = loadProject(config);
  const plan = planCost(project);
  if (!plan)
    throw new ConfigurationError(
      'tfaml.yml has no `cost:` section, so there is no region to price in; add `cost: { region: eastus, budget-usd: 50 }`',
      config.doc.locate([]),
    );
  if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(plan.currency)) {
    throw new ConfigurationError(
      `cost.currency ${plan.currency} is not supported: budgets are written in USD (budget-usd, max-increase-usd) and the offline snapshot is in USD; use currency: USD or leave it out`,
      plan.currencyAt,
    );
  }
  const base: BaseSide | undefined = s.base ? loadBase(s.config, s.base) : undefined;
  const history = await pastRuns(plan.model, config, out.log);

  let actualRun: Parameters<typeof actualCost>[0] | undefined;
  if (s.actualDurationSeconds !== undefined) {
    actualRun = {
      source: 'input actual-duration-s',
      durationSeconds: s.actualDurationSeconds,
      target: 'azure',
      instanceType: plan.training?.instanceType,
      instanceCount: plan.training?.instanceCount,
    };
  } else if (s.actualFromRegistry) {
    const l = history.latest;
    if (!l)
      throw new UsageError(
        `actual-from-registry: no version of ${plan.model ?? 'the model'} in the experiment registry records a duration (tag ${TAGS.durationSeconds}); run train first, or pass actual-duration-s`,
      );
    actualRun = {
      source: `${l.name} version ${l.version} in the experiment registry`,
      durationSeconds: l.durationSeconds,
      target: l.target ?? 'local',
      instanceType: l.instanceType,
      instanceCount: l.instanceCount,
      // An Azure run recorded the price its estimate used when it was registered: the same price prices it now.
      priceUsd: l.priceUsd,
    };
  }
  // The run being reported is not its own history.
  const earlier = s.actualFromRegistry && history.latest ? history.runs.slice(0, -1) : history.runs;

  const wanted = new Map<string, Set<string>>();
  const want = (region: string, skus: string[]) => {
    const set = wanted.get(region) ?? new Set<string>();
    skus.forEach((k) => set.add(k));
    wanted.set(region, set);
  };
  want(plan.region, planSkus(plan));
  if (base?.plan) want(base.plan.region, planSkus(base.plan));
  if (actualRun?.instanceType && actualRun.target === 'azure') want(plan.region, [actualRun.instanceType]);

  const prices =
    deps.prices ?? pricesFor(s.prices, { projectRoot: config.root, log: out.log, currency: plan.currency });
  const priced = await priceAll(prices, wanted);
  const headMissing = (priced.missing.get(plan.region) ?? []).filter((m) => planSkus(plan).includes(m.sku));
  if (headMissing.length)
    throw ConfigurationError.all(headMissing.map((m) => missingPriceError(plan, m, priced.source)));

  const est: Estimate = estimate(plan, priced.prices, earlier, priced.source);
  let diff: CostDiff | undefined;
  if (s.base && base) {
    let baseEst: Estimate | undefined;
    let why = base.missing;
    if (base.plan) {
      const bm = (priced.missing.get(base.plan.region) ?? []).filter((m) => planSkus(base.plan!).includes(m.sku));
      if (bm.length) why = `no price for ${bm.map((m) => m.sku).join(', ')} in ${base.plan.region}`;
      else baseEst = estimate(base.plan, priced.prices, earlier, priced.source);
    }
    diff = diffEstimates(s.base, baseEst, est, baseEst ? undefined : why);
  }

  const canPost = s.postComment && s.githubToken !== undefined && s.pr !== undefined && s.repository !== undefined;
  if (s.postComment && !canPost && !deps.codeHost) {
    const lacking = [
      s.githubToken === undefined && 'github-token',
      s.pr === undefined && 'a pull request (pr-number, or a pull_request event)',
      s.repository === undefined && 'GITHUB_REPOSITORY',
    ].filter(Boolean);
    out.log.info(`cost: no pull request comment, for want of ${lacking.join(', ')}`);
  }
  let host = deps.codeHost;
  if (canPost && !host) {
    const { gitHubCodeHost } = await import('../adapters/github/code-host.js');
    host = gitHubCodeHost({ token: s.githubToken!, repository: s.repository!, baseUrl: s.apiUrl });
  }
  const labels = host && s.pr !== undefined ? await host.labels(s.pr) : [];
  // With a base, its tfaml.yml sets the limits and the override label: a pull request cannot approve itself.
  const judged = s.base && base ? judgingPolicy(policyOf(config), base.policy, s.base, BUDGET_KEYS) : undefined;
  const budget = budgetGate(judged?.policy ?? plan, est, diff, labels);
  let actual: ActualCost | undefined;
  if (actualRun) actual = actualCost(actualRun, plan, priced.prices, est);

  // The owners to cc come from the base's tfaml.yml too: a pull request cannot choose whom it pings.
  let cc: string[] = [];
  if (s.base && base && !('missing' in base.policy)) {
    const owners = readBaseOwners(s.config, openBaseFiles(config.root, s.base));
    if (owners) cc = ownersOf(owners, changedAssets(project, openBaseRef(config.root, s.base), owners));
  }
  const report: CostReport = { estimate: est, diff, budget, policy: judged?.source, actual, cc };
  if (s.reportUrl !== undefined) {
    const link = reportLink(s.reportUrl, s.serverUrl);
    if ('url' in link) report.reportUrl = link.url;
    else out.log.warning(`cost: report-url ${quote(s.reportUrl)} is not linked from the comment: ${link.ignored}`);
  }
  let commentUrl = '';
  if (canPost && host) {
    if (s.fork) {
      report.notPostedBecause = `No pull request comment: #${s.pr} comes from a fork, whose token may only read. This report is in the job summary instead.`;
      host.notice(
        `tfaml cost: no comment on #${s.pr}, which comes from a fork (read-only token); the cost report is in the job summary.`,
      );
    } else {
      try {
        const r = await host.upsertComment(s.pr!, marker(plan.project), renderMarkdown(report));
        commentUrl = r.url;
        out.log.info(`cost: ${r.action} the comment on #${s.pr}: ${r.url}`);
      } catch (e) {
        if ((e as Error).name !== 'ReadOnlyTokenError') throw e;
        report.notPostedBecause = `No pull request comment: the token may not write to #${s.pr} (${errorMessage(e)}). This report is in the job summary instead.`;
        host.notice(
          `tfaml cost: no comment on #${s.pr}: the token is read-only (a fork's pull request, or permissions without pull-requests: write); the cost report is in the job summary.`,
        );
      }
    }
  }

  const markdown = renderMarkdown(report);
  const json = renderJson(report);
  out.print(s.format === 'json' ? JSON.stringify(json, null, 2) + '\n' : markdown);
  await out.summary(markdown);
  out.setOutput('run-usd', est.run.expected.toFixed(2));
  out.setOutput('month-usd', est.month.expected.toFixed(2));
  out.setOutput('change-usd', diff ? diff.run.change.toFixed(2) : '');
  out.setOutput('budget', budget.verdict);
  out.setOutput('comment-url', commentUrl);
  out.setOutput('cost-json', JSON.stringify(json));
  return budget.verdict === 'over' ? 1 : 0;
}
