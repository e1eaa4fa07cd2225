/**
 * report: one self-contained HTML page for a training run, and for a promotion decision when promote's JSON report is
 * given. Thin: find the run (the experiment registry's versions, the run folders under .tfaml/runs, and the checkpoint
 * of a run that never finished), read what it left behind, let src/runreport build and draw the page, write it whole.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { containmentProblem } from '../config/paths.js';
import type { TfamlConfig } from '../config/types.js';
import { ConfigurationError, errorMessage, UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { readChoice, type Inputs, type Output } from '../core/io.js';
import type { ModelRegistry, ModelVersion } from '../core/ports.js';
import { TAGS } from '../core/tags.js';
import type { ReportSources, Source } from '../runreport/model.js';
import { runReportPage } from '../runreport/page.js';
import { reportSummary } from '../runreport/summary.js';
import { openExperiment } from './promote.js';

export interface ReportSettings {
  /** Path of tfaml.yml. */
  config: string;
  format: 'text' | 'json';
  /** A run id, or an experiment version (`7`, `<model>:7`); default the decision's candidate, else the latest run. */
  run?: string;
  /** promote's JSON report. */
  decision?: string;
  /** cost's JSON report. */
  cost?: string;
  /** Where to write report.html; default .tfaml/reports/<run id>/report.html. */
  out?: string;
}

export function readReportSettings(inputs: Inputs): ReportSettings {
  return {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    run: inputs.get('run'),
    decision: inputs.get('decision'),
    cost: inputs.get('cost'),
    out: inputs.get('out'),
  };
}

/** What report needs from outside; tests replace any of it. */
export interface ReportDeps {
  experiment?: (config: TfamlConfig) => ModelRegistry | Promise<ModelRegistry>;
  now?: () => Date;
}

/** A run the report can be about. */
interface RunEntry {
  id: string;
  /** Its folder with metrics.json and run.json, when there is one on this machine. */
  folder?: string;
  version?: ModelVersion;
  /** A run that stopped before it finished: only its checkpoint's history is known. */
  checkpoint?: string;
  /** ms since the epoch, for "the latest". */
  at: number;
}

const RUN_ID = /^\d{8}T\d{6}-[0-9a-f]{6}$/;

function readJson(file: string): Source {
  try {
    return { file, value: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { file, problem: code === 'ENOENT' ? 'there is no such file' : errorMessage(e).split('\n')[0]! };
  }
}

/** A file the user named: it must exist (exit 2 naming it), but a malformed one still makes a report that says so. */
function readNamed(file: string | undefined, input: string): Source | undefined {
  if (file === undefined) return undefined;
  if (!existsSync(file))
    throw new UsageError(`--${input} ${file}: there is no such file; give the path of the JSON report tfaml wrote`);
  return readJson(file);
}

async function findRuns(config: TfamlConfig, model: string, deps: ReportDeps, out: Output): Promise<RunEntry[]> {
  const runs = new Map<string, RunEntry>();
  let versions: ModelVersion[] = [];
  try {
    versions = await (await (deps.experiment ?? openExperiment)(config)).list(model);
  } catch (e) {
    // The page can still be written from the run folders on this machine.
    if (e instanceof ConfigurationError) throw e;
    out.log.warning(`report: could not list the experiment registry (${errorMessage(e).split('\n')[0]})`);
  }
  for (const v of versions) {
    const id = v.tags[TAGS.runId] ?? `${model}:${v.version}`;
    const folder = existsSync(path.join(v.location, 'metrics.json')) ? v.location : undefined;
    runs.set(id, { id, version: v, ...(folder ? { folder } : {}), at: Date.parse(v.createdAt) || 0 });
  }
  const runsDir = path.join(config.root, '.tfaml', 'runs');
  if (existsSync(runsDir))
    for (const e of readdirSync(runsDir, { withFileTypes: true })) {
      if (!e.isDirectory() || !RUN_ID.test(e.name)) continue;
      const folder = path.join(runsDir, e.name);
      const known = runs.get(e.name);
      if (known) known.folder ??= folder;
      else runs.set(e.name, { id: e.name, folder, at: statSync(folder).mtimeMs });
    }
  // A run killed before it registered leaves its checkpoint, newer than every finished run (each registers after
  // its last checkpoint).
  const cp = path.join(config.root, '.tfaml', 'checkpoints', `${model}.json`);
  if (existsSync(cp)) {
    const at = statSync(cp).mtimeMs;
    if ([...runs.values()].every((r) => r.at < at)) runs.set('checkpoint', { id: 'checkpoint', checkpoint: cp, at });
  }
  return [...runs.values()].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

function pick(runs: RunEntry[], wanted: string | undefined, model: string, where: string): RunEntry {
  if (runs.length === 0)
    throw new ConfigurationError(
      `there are no runs of ${model} to report: ${where} has no version and .tfaml/runs no run folder; run tfaml train first`,
    );
  if (wanted === undefined) return runs[runs.length - 1]!;
  const version = /^(?:(.+):)?(\d[\w.-]*)$/.exec(wanted);
  const found =
    runs.find((r) => r.id === wanted) ??
    (version && (version[1] === undefined || version[1] === model)
      ? runs.find((r) => r.version?.version === version[2])
      : undefined);
  if (found) return found;
  const list = runs.map((r) => (r.version ? `${r.id} (version ${r.version.version})` : r.id));
  throw new ConfigurationError(
    `--run ${JSON.stringify(wanted)}: there is no such run of ${model}; the runs there are: ${list.join(', ')} (the latest is ${runs[runs.length - 1]!.id})`,
  );
}

/** A checkpoint's history as the metrics.json of a run that never wrote one. */
function checkpointMetrics(file: string): { metrics: Source; interruptedAfterEpoch: number } {
  const s = readJson(file);
  if ('problem' in s) return { metrics: s, interruptedAfterEpoch: 0 };
  const cp = s.value as { history?: unknown; epoch?: unknown } | null;
  const epoch = typeof cp?.epoch === 'number' ? cp.epoch : 0;
  return {
    metrics: { file, value: { history: Array.isArray(cp?.history) ? cp.history : [] } },
    interruptedAfterEpoch: epoch,
  };
}

function sources(
  config: TfamlConfig,
  model: string,
  run: RunEntry,
  named: { decision?: Source; cost?: Source },
  now: Date,
): ReportSources {
  const v = run.version;
  const ws = config.workspace;
  return {
    runId: run.id,
    model,
    ...(v
      ? {
          version: {
            registry: v.location.includes('://') ? 'the workspace' : 'the experiment registry',
            version: v.version,
            metrics: v.metrics,
            tags: v.tags,
          },
        }
      : {}),
    ...(run.folder
      ? { metrics: readJson(path.join(run.folder, 'metrics.json')), run: readJson(path.join(run.folder, 'run.json')) }
      : {}),
    ...(run.checkpoint ? checkpointMetrics(run.checkpoint) : {}),
    ...named,
    links: {
      server: process.env.GITHUB_SERVER_URL,
      repository: process.env.GITHUB_REPOSITORY,
      // The subscription may come from AZURE_SUBSCRIPTION_ID, as the Azure adapter reads it.
      ...(ws && (ws.subscriptionId ?? process.env.AZURE_SUBSCRIPTION_ID)
        ? {
            workspace: {
              subscription: (ws.subscriptionId ?? process.env.AZURE_SUBSCRIPTION_ID)!,
              resourceGroup: ws.resourceGroup,
              name: ws.name,
            },
          }
        : {}),
    },
    generatedAt: now.toISOString(),
  };
}

export async function report(inputs: Inputs, out: Output, deps: ReportDeps = {}): Promise<number> {
  const s = readReportSettings(inputs);
  const config = loadConfig(s.config);
  if (!config.model)
    throw new ConfigurationError('tfaml.yml has no `model:`, so there is no run to report; add model.name', {
      file: config.doc.file,
      line: 1,
    });
  const model = config.model.name;
  const decision = readNamed(s.decision, 'decision');
  const cost = readNamed(s.cost, 'cost');
  // After promote, the report is about the candidate it judged.
  const candidate =
    decision && 'value' in decision
      ? ((decision.value as { candidate?: { version?: unknown } } | null)?.candidate?.version as string | undefined)
      : undefined;
  const runs = await findRuns(config, model, deps, out);
  const run = pick(
    runs,
    s.run ?? (typeof candidate === 'string' ? candidate : undefined),
    model,
    'the experiment registry',
  );
  const file = path.resolve(s.out ?? path.join(config.root, '.tfaml', 'reports', run.id, 'report.html'));
  const outside = containmentProblem(config.boundary, file, { what: 'the out input (--out)', written: s.out ?? file });
  if (outside) throw outside;

  const page = await runReportPage(sources(config, model, run, { decision, cost }, (deps.now ?? (() => new Date()))()));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, page.html);
  const r = page.report;
  if (s.format === 'json') out.print(JSON.stringify({ path: file, report: r }, null, 2) + '\n');
  else
    out.print(
      `✔ report for ${r.title}: ${file}\n` +
        (r.missing.length ? r.missing.map((m) => `  missing: ${m}\n`).join('') : '') +
        `  charts: ${page.charts.join(', ') || 'none (no data to draw)'}\n`,
    );
  await out.summary(reportSummary(r, { path: path.relative(config.root, file) || file }));
  out.setOutput('path', file);
  out.setOutput('run-id', run.id);
  return 0;
}
