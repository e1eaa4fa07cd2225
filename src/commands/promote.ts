/**
 * promote: evaluate the candidate (an experiment version) against the gates in tfaml.yml and the production
 * champion; if every gate passes and this is the promote branch, publish it to production as a new semver version
 * carrying the evidence, and make it the champion. `--rollback <version>` makes an earlier production version the
 * champion again. Anywhere but the promote branch it evaluates and reports, writes nothing, and says so.
 */
import { localProductionStore } from '../adapters/local/production.js';
import { localRegistries } from '../adapters/local/registry.js';
import { runContext, type RunContext } from '../adapters/local/whoami.js';
import { loadConfig } from '../config/load.js';
import type { TfamlConfig } from '../config/types.js';
import { ConfigurationError, UsageError } from '../core/errors.js';
import { LostRaceError } from '../core/errors.js';
import { nearest } from '../core/nearest.js';
import { PROMOTE_TAGS } from '../core/tags.js';
import { noSuchVersion, Production, rolledBack } from '../promote/protocol.js';
import { evaluateGates, missingReason, passed } from '../gate/evaluate.js';
import { EXIT, toJson, toMarkdown, toText, type PromoteReport } from '../gate/report.js';
import { decideBump, nextVersion } from '../gate/semver.js';
import {
  type Clock,
  type MaterializedModel,
  type ModelRegistry,
  type ModelVersion,
  type ProductionModelRegistry,
} from '../core/ports.js';
import { readChoice, type Inputs, type Output } from '../core/io.js';

export interface PromoteSettings {
  /** Path of tfaml.yml (default ./tfaml.yml). */
  config: string;
  format: 'text' | 'json';
  /** The experiment version to promote (`7` or `<model>:7`); default the latest of model.name. */
  candidate?: string;
  /** A production version to make the champion again instead of promoting. */
  rollback?: string;
  /** Why, recorded in the history (required for a rollback). */
  reason?: string;
}

export function readPromoteSettings(inputs: Inputs): PromoteSettings {
  const s: PromoteSettings = {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    candidate: inputs.get('candidate'),
    rollback: inputs.get('rollback'),
    reason: inputs.get('reason'),
  };
  if (s.rollback !== undefined && s.candidate !== undefined)
    throw new UsageError(
      'give either --candidate (promote) or --rollback (make an earlier production version the champion), not both',
    );
  if (s.rollback !== undefined && s.reason === undefined)
    throw new UsageError(
      `rollback ${s.rollback} needs a reason (--reason, or the reason input): say why, it is recorded in the production history with who did it`,
    );
  return s;
}

/** What promote needs from outside; tests replace any of it. */
export interface PromoteDeps {
  experiment?: (config: TfamlConfig) => ModelRegistry | Promise<ModelRegistry>;
  production?: (config: TfamlConfig) => ProductionModelRegistry | Promise<ProductionModelRegistry>;
  context?: (config: TfamlConfig) => RunContext;
  clock?: Clock;
}

function describeKind(config: TfamlConfig, which: 'experiment' | 'production'): string {
  if (which === 'experiment') return `registries.experiment is ${config.registries.experiment}`;
  const p = config.registries.production;
  return p.kind === 'registry'
    ? `registries.production is the Azure ML registry ${p.name}`
    : p.kind === 'workspace'
      ? `registries.production is the workspace ${p.workspace.name}`
      : 'registries.production is local';
}

/**
 * The experiment registry tfaml.yml names: the embedded one, or (loaded lazily, so a promote on the embedded
 * registries never loads @azure/*) the workspace's model registry, where `train` with target azure registers.
 */
export async function openExperiment(config: TfamlConfig, clock?: Clock): Promise<ModelRegistry> {
  if (config.registries.experiment === 'local') return localRegistries(config.root, clock).experiment;
  if (!config.workspace) {
    throw new ConfigurationError(
      `${describeKind(config, 'experiment')} but there is no \`workspace:\`; add the workspace or use \`experiment: local\``,
      config.doc.locate(['registries', 'experiment']),
    );
  }
  const { openModelRegistry } = await import('../adapters/azure/index.js');
  return openModelRegistry({ workspace: config.workspace });
}

/**
 * The production registry: the embedded one, or (loaded lazily, so a run on the embedded registry never loads
 * @azure/*) an Azure ML registry reached through `workspace:`, or a production workspace.
 */
export async function openProduction(config: TfamlConfig, clock?: Clock): Promise<ProductionModelRegistry> {
  const p = config.registries.production;
  const opts = clock ? { clock } : {};
  if (p.kind === 'local') return new Production(localProductionStore(config.root, clock), opts);
  if (p.kind === 'registry' && !config.workspace) {
    throw new ConfigurationError(
      `${describeKind(config, 'production')}, which this build of tfaml cannot write yet: there is no \`workspace:\` to reach it through. Add workspace (subscription-id, resource-group, name) to tfaml.yml; the registry's resource group is the workspace's unless TFAML_REGISTRY_RESOURCE_GROUP says otherwise`,
      config.doc.locate(['registries', 'production']),
    );
  }
  const { openProductionStore } = await import('../adapters/azure/production.js');
  const store = await openProductionStore(
    p.kind === 'registry' ? { registry: p.name, via: config.workspace! } : { workspace: p.workspace },
    opts,
  );
  return new Production(store, opts);
}

function parseCandidate(text: string, model: string): string {
  const m = /^(?:(.+):)?(\S+)$/.exec(text);
  if (!m || (m[1] !== undefined && m[1] !== model))
    throw new UsageError(`--candidate ${text}: write an experiment version of ${model}, e.g. 7 or ${model}:7`);
  return m[2]!;
}

async function resolveCandidate(reg: ModelRegistry, model: string, wanted: string | undefined): Promise<ModelVersion> {
  const versions = await reg.list(model);
  if (versions.length === 0) {
    const why =
      wanted === undefined
        ? 'run `tfaml train` first'
        : `so version ${wanted} cannot be promoted from here; on a hosted runner each job starts with an empty .tfaml/, so hand the experiment registry from the train job to this one (the main workflow template uploads and downloads it as an artifact), or use a workspace as the experiment registry`;
    throw new ConfigurationError(`${reg.description} has no versions of ${model}; ${why}`);
  }
  if (wanted === undefined) return versions[versions.length - 1]!;
  const v = parseCandidate(wanted, model);
  const found = versions.find((x) => x.version === v);
  if (!found)
    throw new ConfigurationError(
      `${reg.description} has no ${model} version ${v}; it has ${versions.map((x) => x.version).join(', ')} (the latest is ${versions[versions.length - 1]!.version})`,
    );
  return found;
}

function emit(report: PromoteReport, s: PromoteSettings, out: Output): Promise<number> {
  const json = toJson(report);
  out.print(s.format === 'json' ? JSON.stringify(json, null, 2) + '\n' : toText(report));
  out.setOutput('decision', report.decision);
  out.setOutput('production-version', report.productionVersion ?? '');
  out.setOutput('report-json', JSON.stringify(json));
  return out.summary(toMarkdown(report)).then(() => EXIT[report.decision]);
}

export async function promote(inputs: Inputs, out: Output, deps: PromoteDeps = {}): Promise<number> {
  const s = readPromoteSettings(inputs);
  const config = loadConfig(s.config);
  if (!config.model)
    throw new ConfigurationError(
      'tfaml.yml has no `model:`, so there is nothing to promote; add model.name (the name in both registries)',
      { file: 'tfaml.yml', line: 1 },
    );
  const name = config.model.name;
  const production = await (deps.production ?? ((c) => openProduction(c, deps.clock)))(config);
  const ctx = (deps.context ?? ((c) => runContext(c.root)))(config);
  const allowed = ctx.branch === config.promote.branch;
  const branch = { current: ctx.branch, required: config.promote.branch, source: ctx.branchSource, allowed };
  const notWritten = `this is ${ctx.branch} (from ${ctx.branchSource}), not ${config.promote.branch}: production is written only from promote.branch, so nothing was written`;

  if (s.rollback !== undefined) {
    const target = await production.get(name, s.rollback);
    if (!target) {
      const have = (await production.list(name)).map((v) => v.version);
      throw new ConfigurationError(
        `--rollback ${s.rollback}: ${noSuchVersion(production.description, name, s.rollback, have)}`,
      );
    }
    const before = await production.champion(name);
    const report: PromoteReport = {
      decision: 'would-roll-back',
      model: name,
      rollbackTo: s.rollback,
      ...(before ? { champion: { version: before.version, metrics: before.metrics } } : {}),
      gates: [],
      branch,
      production: production.description,
      notes: [],
      written: false,
    };
    if (!allowed) {
      report.notes.push(notWritten);
    } else {
      const e = await production.rollback(name, s.rollback, { by: ctx.by, reason: s.reason!, run: ctx.run });
      report.decision = 'rolled-back';
      report.productionVersion = e.version;
      report.written = true;
      report.notes.push(
        `production ${e.version} is the champion again${e.previous ? ` (was ${e.previous})` : ''}; recorded as ${e.by}: ${e.reason}`,
      );
    }
    if (!report.written) report.productionVersion = undefined;
    return emit(report, s, out);
  }

  const experiment = await (deps.experiment ?? ((c) => openExperiment(c, deps.clock)))(config);
  const candidate = await resolveCandidate(experiment, name, s.candidate);
  checkGateMetricNames(config, candidate);
  const champion = await production.champion(name);
  const rows = evaluateGates(config.gates, candidate.metrics, champion);
  const ok = passed(rows);
  const bump = decideBump(candidate.tags, champion?.tags);
  const existing = (await production.list(name)).map((v) => v.version);
  const preview =
    champion && champion.contentHash === candidate.contentHash ? champion.version : nextVersion(existing, bump.bump);
  // Which experiment version this was, as the history and the evidence tag record it.
  const source = `experiment:${name}:${candidate.version}`;

  const report: PromoteReport = {
    decision: ok ? (allowed ? 'promoted' : 'would-promote') : 'rejected',
    model: name,
    candidate: {
      registry: experiment.description,
      version: candidate.version,
      contentHash: candidate.contentHash,
      metrics: candidate.metrics,
    },
    ...(champion ? { champion: { version: champion.version, metrics: champion.metrics } } : {}),
    gates: rows,
    bump: { ...bump, version: preview },
    branch,
    production: production.description,
    notes: [],
    written: false,
  };
  if (!champion && rows.some((r) => r.kind === 'max-drop' || r.kind === 'max-drop-pct'))
    report.notes.push('no production champion yet: the change thresholds (max-drop, max-drop-pct) were skipped');
  for (const metric of new Set(rows.filter((r) => !r.directionKnown).map((r) => r.metric))) {
    report.notes.push(
      `${metric} is not a metric tfaml knows the direction of, so higher was assumed to be better (see the direction table in docs/promote.md)`,
    );
  }
  if (config.gates.length === 0)
    report.notes.push('tfaml.yml has no gates, so any candidate passes; add gates to set a bar');
  const failed = rows.filter((r) => r.status === 'fail');
  if (!ok) {
    report.notes.push(
      `not promoted: ${failed.length} of ${rows.length} threshold${rows.length === 1 ? '' : 's'} failed (${failed.map((r) => `${r.metric} ${r.kind}`).join(', ')}); nothing was written`,
    );
    return emit(report, s, out);
  }
  if (champion && champion.contentHash === candidate.contentHash) {
    report.decision = 'unchanged';
    report.productionVersion = champion.version;
    report.notes.push(`production ${champion.version} already holds this candidate and is the champion; nothing to do`);
    return emit(report, s, out);
  }
  // A rollback away from a version is a decision about that model: the same content passing the gates again on the
  // next push must not silently undo it. Rolling forward stays possible, deliberately: --rollback <version>.
  const away = await rolledBack(production, name, candidate.contentHash);
  if (away) {
    const e = away.rollback;
    report.decision = 'rejected';
    report.notes.push(
      `this candidate is production ${away.version}, which ${e.by} rolled back on ${e.at} (${e.reason}); nothing was written. Train a new candidate, or restore it deliberately: tfaml promote --rollback ${away.version} --reason "…"`,
    );
    return emit(report, s, out);
  }
  if (!allowed) {
    report.notes.push(notWritten);
    return emit(report, s, out);
  }

  const reason =
    s.reason ??
    `all ${rows.length} gate threshold${rows.length === 1 ? '' : 's'} passed${champion ? ` against champion ${champion.version}` : ' (no champion yet)'}`;
  const tags: Record<string, string> = {
    ...candidate.tags,
    [PROMOTE_TAGS.source]: source,
    [PROMOTE_TAGS.metrics]: JSON.stringify(candidate.metrics),
    [PROMOTE_TAGS.champion]: champion?.version ?? 'none',
    [PROMOTE_TAGS.championMetrics]: JSON.stringify(champion?.metrics ?? {}),
    [PROMOTE_TAGS.gates]: JSON.stringify(
      rows.map((r) => ({
        metric: r.metric,
        kind: r.kind,
        threshold: r.threshold,
        candidate: r.candidateText,
        champion: r.championText,
        status: r.status,
      })),
    ),
    [PROMOTE_TAGS.bump]: `${bump.bump}: ${bump.why}`,
    [PROMOTE_TAGS.promoteSha]: ctx.sha,
    [PROMOTE_TAGS.promotedBy]: ctx.by,
    [PROMOTE_TAGS.reason]: reason,
  };
  // The candidate's files as a local folder (downloaded and checked against its content hash when it lives in a
  // workspace); a mismatch is refused here, before anything is written.
  const files = await candidateFiles(experiment, candidate);
  try {
    const r = await production.publish({
      model: { name, files: files.dir, metrics: candidate.metrics, tags },
      version: (versions) =>
        nextVersion(
          versions.map((v) => v.version),
          bump.bump,
        ),
      candidate: source,
      expectedChampion: champion?.version,
      actor: { by: ctx.by, reason, run: ctx.run },
      // The model's owners: tfaml.yml has no per-model owner, so the project's. This is the promote branch's
      // checkout (production is written only there), so the owners are the trusted ones, not a pull request's.
      owners: config.owners,
    });
    report.productionVersion = r.version.version;
    report.bump = { ...bump, version: r.version.version };
    report.written = r.championChanged;
    if (r.outcome === 'reused' && !r.championChanged) {
      report.decision = 'unchanged';
      report.notes.push(
        `production ${r.version.version} already holds this candidate (published by a concurrent run) and is the champion; nothing to do`,
      );
    } else if (r.outcome === 'reused') {
      report.notes.push(
        `production ${r.version.version} already held this candidate; it is the champion again (no second copy)`,
      );
    } else {
      report.notes.push(`production ${r.version.version} is the champion; recorded as ${ctx.by}: ${reason}`);
    }
  } catch (err) {
    if (!(err instanceof LostRaceError)) throw err;
    report.decision = 'lost';
    report.notes.push(err.message);
  } finally {
    await files.cleanup();
  }
  return emit(report, s, out);
}

/** A local folder with the candidate's files: the registry's materialize, else its location when that is a folder. */
async function candidateFiles(reg: ModelRegistry, candidate: ModelVersion): Promise<MaterializedModel> {
  if (reg.materialize) return reg.materialize(candidate);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate.location))
    throw new ConfigurationError(
      `${candidate.name}:${candidate.version} in ${reg.description} keeps its files at ${candidate.location}, which ${reg.description} cannot download; nothing was written`,
    );
  return { dir: candidate.location, cleanup: async () => {} };
}

/**
 * A gate naming a metric the candidate lacks fails by name (the metric may really have gone missing); but when the
 * candidate has a metric a typo away, the gate is misspelt: that is unusable input (exit 2) at its line in
 * tfaml.yml, before anything is evaluated or written.
 */
function checkGateMetricNames(config: TfamlConfig, candidate: ModelVersion): void {
  const available = Object.keys(candidate.metrics).sort();
  const errors = config.gates
    .filter((g) => !(g.metric in candidate.metrics) && nearest(g.metric, available) !== undefined)
    .map(
      (g) =>
        new ConfigurationError(
          `gates[${g.index}].metric: ${missingReason(g.metric, available)}; fix the metric name`,
          config.doc.locate(['gates', g.index, 'metric']),
        ),
    );
  if (errors.length) throw ConfigurationError.all(errors);
}
