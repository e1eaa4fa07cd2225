/**
 * The run report's data: one structure built from what a run left behind (metrics.json, run.json, the registry
 * version's metrics and tags) and, when given, promote's decision report and cost's JSON report. Pure. Every one of
 * those files is data a pull request can shape (its training code writes metrics.json, its tfaml.yml names the
 * metrics), so each field is read defensively: a field of the wrong shape is left out and `missing` says so, never
 * a throw. The page (./html.ts) and the job summary (./summary.ts) render exactly this.
 */
import { TAGS } from '../core/tags.js';

/** A JSON file as the command read it: its parsed value, or why it could not be read. */
export type Source = { file: string; value: unknown } | { file: string; problem: string };

/** The registry version a run became. */
export interface RegisteredVersion {
  registry: string;
  version: string;
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

export interface ReportSources {
  runId: string;
  model: string;
  version?: RegisteredVersion;
  /** metrics.json of the run, when there is a run folder. */
  metrics?: Source;
  /** run.json of the run. */
  run?: Source;
  /** The run stopped before it finished: `metrics` holds only its checkpoint's history, up to this epoch. */
  interruptedAfterEpoch?: number;
  /** promote's JSON report (`tfaml promote --format json`, the report-json output). */
  decision?: Source;
  /** cost's JSON report (`tfaml cost --format json`, the cost-json output). */
  cost?: Source;
  /** Where links may point: the code host and the Azure ML workspace, when known. */
  links?: {
    server?: string;
    repository?: string;
    workspace?: { subscription: string; resourceGroup: string; name: string };
  };
  generatedAt: string;
}

export interface KeyNumber {
  /** The metric's name as recorded (accuracy, latency_p95_ms, …). */
  metric: string;
  label: string;
  value: number;
  text: string;
}

export interface CurvePoint {
  epoch: number;
  metric: 'loss' | 'accuracy';
  split: 'train' | 'validation';
  value: number;
}

export interface ClassRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ConfusionCell {
  actual: string;
  predicted: string;
  count: number;
}

export interface GateBar {
  gate: number;
  metric: string;
  kind: string;
  threshold: number;
  candidate: number | null;
  champion: number | null;
  status: string;
  reason: string;
  direction: 'higher' | 'lower';
  /** Where the candidate's value must reach: the threshold, or for a change threshold the champion's value moved by it. */
  limit: number | null;
}

export interface DecisionSection {
  decision: string;
  candidateVersion?: string;
  championVersion?: string;
  productionVersion?: string;
  gates: GateBar[];
  notes: string[];
}

export interface CostSection {
  currency: string;
  /** One training run, estimated before it ran. */
  estimate?: { low: number; expected: number; high: number };
  /** What it cost by its real duration (undefined when not billed, e.g. on the local runner). */
  actual?: number;
  actualDetail?: string;
  durationSeconds?: number;
  hoursSource?: string;
}

export interface LineageRow {
  label: string;
  value: string;
  href?: string;
}

export interface RunReport {
  title: string;
  runId: string;
  model: string;
  version?: string;
  registry?: string;
  generatedAt: string;
  headline: KeyNumber[];
  curves: CurvePoint[];
  perClass: ClassRow[];
  confusion?: { classes: string[]; cells: ConfusionCell[] };
  decision?: DecisionSection;
  cost?: CostSection;
  lineage: LineageRow[];
  /** Plain sentences: what this report could not show and why. Empty for a complete run. */
  missing: string[];
}

/** The confusion heatmap draws one cell per pair: beyond this many classes it would be unreadable and heavy. */
export const MAX_HEATMAP_CLASSES = 60;
/** Epochs drawn; a longer history is thinned evenly (the last epoch always kept). */
export const MAX_EPOCHS = 1000;

const HEADLINE: readonly [string, string, (v: number) => string][] = [
  ['accuracy', 'accuracy', (v) => v.toFixed(3)],
  ['macro_f1', 'macro F1', (v) => v.toFixed(3)],
  ['loss', 'loss', (v) => v.toFixed(4)],
  ['latency_p50_ms', 'latency p50', (v) => `${v.toFixed(1)} ms`],
  ['latency_p95_ms', 'latency p95', (v) => `${v.toFixed(1)} ms`],
  [
    'model_bytes',
    'model size',
    (v) => (v >= 1048576 ? `${(v / 1048576).toFixed(1)} MiB` : `${(v / 1024).toFixed(1)} KiB`),
  ],
];

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

function valueOf(s: Source | undefined, what: string, missing: string[]): Obj | undefined {
  if (!s) return undefined;
  if ('problem' in s) {
    missing.push(`${what} (${s.file}) could not be read: ${s.problem}`);
    return undefined;
  }
  if (!isObj(s.value)) {
    missing.push(`${what} (${s.file}) is not a JSON object`);
    return undefined;
  }
  return s.value;
}

function headline(metrics: Obj | undefined, registered: Record<string, number> | undefined): KeyNumber[] {
  const from = (k: string) => num(metrics?.[k]) ?? num(registered?.[k]);
  const rows: KeyNumber[] = [];
  for (const [metric, label, fmt] of HEADLINE) {
    const v = from(metric);
    if (v !== undefined) rows.push({ metric, label, value: v, text: fmt(v) });
  }
  // Metrics of the run's own (an Azure job logs what its script logs): shown as they are, after the known ones.
  const known = new Set(HEADLINE.map(([m]) => m));
  const others = new Set([...Object.keys(registered ?? {}), ...Object.keys(metrics ?? {})]);
  for (const k of [...others].sort()) {
    const v = from(k);
    if (known.has(k) || v === undefined) continue;
    rows.push({ metric: k, label: k, value: v, text: String(Number(v.toPrecision(6))) });
  }
  return rows;
}

function curves(metrics: Obj | undefined, missing: string[]): CurvePoint[] {
  const h = metrics?.history;
  if (h === undefined) {
    missing.push(
      metrics
        ? 'metrics.json has no per-epoch history, so there are no learning curves'
        : 'no metrics.json, so there are no learning curves',
    );
    return [];
  }
  if (!Array.isArray(h)) {
    missing.push('metrics.json history is not a list, so there are no learning curves');
    return [];
  }
  const epochs = h.filter(isObj).filter((e) => num(e.epoch) !== undefined);
  if (epochs.length < h.length)
    missing.push(`${h.length - epochs.length} of ${h.length} history entries have no epoch`);
  if (epochs.length === 0) {
    missing.push(
      'metrics.json has an empty history (the run stopped before its first epoch), so there are no learning curves',
    );
    return [];
  }
  let kept = epochs;
  if (epochs.length > MAX_EPOCHS) {
    const step = epochs.length / MAX_EPOCHS;
    kept = Array.from({ length: MAX_EPOCHS }, (_, i) => epochs[Math.floor(i * step)]!);
    kept[kept.length - 1] = epochs[epochs.length - 1]!;
    missing.push(`${epochs.length} epochs: the curves show ${MAX_EPOCHS} of them, evenly spaced`);
  }
  const out: CurvePoint[] = [];
  const fields: [string, CurvePoint['metric'], CurvePoint['split']][] = [
    ['loss', 'loss', 'train'],
    ['valLoss', 'loss', 'validation'],
    ['accuracy', 'accuracy', 'train'],
    ['valAccuracy', 'accuracy', 'validation'],
  ];
  for (const e of kept)
    for (const [field, metric, split] of fields) {
      const v = num(e[field]);
      if (v !== undefined) out.push({ epoch: e.epoch as number, metric, split, value: v });
    }
  return out;
}

function perClass(metrics: Obj | undefined, missing: string[], interrupted: boolean): ClassRow[] {
  const pc = metrics?.per_class;
  if (!metrics || (interrupted && pc === undefined)) return [];
  if (!isObj(pc)) {
    missing.push('metrics.json has no per_class results, so there is no per-class precision/recall/F1');
    return [];
  }
  const rows: ClassRow[] = [];
  for (const [name, m] of Object.entries(pc)) {
    if (!isObj(m)) continue;
    const [precision, recall, f1, support] = [num(m.precision), num(m.recall), num(m.f1), num(m.support)];
    if (precision === undefined || recall === undefined || f1 === undefined) continue;
    rows.push({ name, precision, recall, f1, support: support ?? 0 });
  }
  if (rows.length < Object.keys(pc).length)
    missing.push(`${Object.keys(pc).length - rows.length} per_class entries lack precision, recall or f1`);
  return rows;
}

function confusion(metrics: Obj | undefined, missing: string[], interrupted: boolean): RunReport['confusion'] {
  const cm = metrics?.confusion_matrix;
  if (!metrics || (interrupted && cm === undefined)) return undefined;
  const classes = isObj(cm) && Array.isArray(cm.classes) ? cm.classes : undefined;
  const rows =
    isObj(cm) && Array.isArray(cm.rows_actual_columns_predicted) ? cm.rows_actual_columns_predicted : undefined;
  if (!classes || !rows) {
    missing.push('metrics.json has no confusion_matrix (classes and rows_actual_columns_predicted)');
    return undefined;
  }
  const names = classes.map((c) => (typeof c === 'string' ? c : JSON.stringify(c)));
  const square =
    rows.length === names.length &&
    rows.every((r) => Array.isArray(r) && r.length === names.length && r.every((v) => num(v) !== undefined && v >= 0));
  if (!square) {
    missing.push(`metrics.json's confusion_matrix is not ${names.length} × ${names.length} non-negative counts`);
    return undefined;
  }
  if (names.length > MAX_HEATMAP_CLASSES) {
    missing.push(
      `${names.length} classes: the confusion matrix is left out of the page above ${MAX_HEATMAP_CLASSES} (it is in metrics.json)`,
    );
    return undefined;
  }
  const cells: ConfusionCell[] = [];
  names.forEach((actual, i) =>
    names.forEach((predicted, j) => cells.push({ actual, predicted, count: (rows[i] as number[])[j]! })),
  );
  return { classes: names, cells };
}

/** Where a gate row's value must reach: the threshold itself, or for a change threshold the champion moved by it. */
export function gateLimit(g: Omit<GateBar, 'limit'>): number | null {
  if (g.kind === 'min' || g.kind === 'max') return g.threshold;
  if (g.champion === null || (g.kind !== 'max-drop' && g.kind !== 'max-drop-pct')) return null;
  const allowed = g.kind === 'max-drop' ? g.threshold : (Math.abs(g.champion) * g.threshold) / 100;
  return g.direction === 'higher' ? g.champion - allowed : g.champion + allowed;
}

function decision(value: Obj | undefined, missing: string[]): DecisionSection | undefined {
  if (!value) return undefined;
  const d = str(value.decision);
  if (!d) {
    missing.push('the decision report has no `decision`; is it the JSON of tfaml promote --format json?');
    return undefined;
  }
  const gates: GateBar[] = [];
  for (const g of Array.isArray(value.gates) ? value.gates : []) {
    if (!isObj(g) || str(g.metric) === undefined || num(g.threshold) === undefined) continue;
    const row = {
      gate: num(g.gate) ?? gates.length,
      metric: g.metric as string,
      kind: str(g.kind) ?? '?',
      threshold: g.threshold as number,
      candidate: num(g.candidate) ?? null,
      champion: num(g.champion) ?? null,
      status: str(g.status) ?? '?',
      reason: str(g.reason) ?? '',
      direction: g.direction === 'lower' ? ('lower' as const) : ('higher' as const),
    };
    gates.push({ ...row, limit: gateLimit(row) });
  }
  const version = (x: unknown) => (isObj(x) ? str(x.version) : undefined);
  return {
    decision: d,
    candidateVersion: version(value.candidate),
    championVersion: version(value.champion),
    productionVersion: str(value.productionVersion),
    gates,
    notes: (Array.isArray(value.notes) ? value.notes : []).filter((n): n is string => typeof n === 'string'),
  };
}

function cost(value: Obj | undefined, missing: string[]): CostSection | undefined {
  if (!value) return undefined;
  const est = isObj(value.estimate) ? value.estimate : undefined;
  const run = est && isObj(est.run) ? est.run : undefined;
  const actual = isObj(value.actual) ? value.actual : undefined;
  const range =
    run && num(run.low) !== undefined && num(run.expected) !== undefined && num(run.high) !== undefined
      ? { low: run.low as number, expected: run.expected as number, high: run.high as number }
      : undefined;
  if (!range && !actual) {
    missing.push(
      'the cost report has neither an estimate nor an actual cost; is it the JSON of tfaml cost --format json?',
    );
    return undefined;
  }
  if (!actual)
    missing.push('the cost report has no actual cost (run tfaml cost with actual-from-registry after training)');
  const hours = est && isObj(est.hours) ? str(est.hours.source) : undefined;
  return {
    currency: str(est?.currency) ?? 'USD',
    ...(range ? { estimate: range } : {}),
    ...(num(actual?.cost) !== undefined ? { actual: actual!.cost as number } : {}),
    ...(str(actual?.detail) ? { actualDetail: actual!.detail as string } : {}),
    ...(num(actual?.durationSeconds) !== undefined ? { durationSeconds: actual!.durationSeconds as number } : {}),
    ...(hours ? { hoursSource: hours } : {}),
  };
}

const SHA = /^[0-9a-f]{7,40}$/;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SAFE_SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** A link only where every part of it is of a known, safe shape; otherwise the value stands without one. */
function commitHref(links: ReportSources['links'], sha: string): string | undefined {
  const server = links?.server;
  if (!server || !/^https:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(server) || !links?.repository) return undefined;
  if (!REPO.test(links.repository) || !SHA.test(sha)) return undefined;
  return `${server}/${links.repository}/commit/${sha}`;
}

function studioHref(links: ReportSources['links'], job: string): string | undefined {
  const ws = links?.workspace;
  if (!ws || ![ws.subscription, ws.resourceGroup, ws.name, job].every((s) => SAFE_SEGMENT.test(s))) return undefined;
  const wsid = `/subscriptions/${ws.subscription}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
  return `https://ml.azure.com/runs/${job}?wsid=${encodeURIComponent(wsid)}`;
}

function lineage(s: ReportSources, run: Obj | undefined, missing: string[]): LineageRow[] {
  const tags = s.version?.tags ?? {};
  const rows: LineageRow[] = [];
  const add = (label: string, value: string | undefined, href?: string) => {
    if (value !== undefined && value !== '') rows.push({ label, value, ...(href ? { href } : {}) });
  };
  const sub = (o: unknown, k: string) => (isObj(o) ? str(o[k]) : undefined);
  const sha = str(run?.gitSha) ?? tags[TAGS.gitSha];
  add('git commit', sha, sha ? commitHref(s.links, sha) : undefined);
  const target = tags[TAGS.target] ?? (run ? 'local' : undefined);
  add('target', target);
  if (target === 'azure')
    add('Azure ML job', tags[TAGS.runId] ?? s.runId, studioHref(s.links, tags[TAGS.runId] ?? s.runId));
  add('environment', str(run?.environment) ?? tags[TAGS.environment]);
  const data = isObj(run?.data) ? run!.data : undefined;
  add('data', data ? `${str(data.name) ?? '?'}${str(data.version) ? `:${data.version}` : ''}` : tags[TAGS.data]);
  add('data hash', str(data?.hash) ?? tags[TAGS.dataHash]);
  add('hub model', sub(run?.hub, 'handle') ?? tags[TAGS.hub]);
  add('hub model hash', sub(run?.hub, 'hash') ?? tags[TAGS.hubHash]);
  add('training backend', str(run?.backend) ?? tags[TAGS.backend]);
  add('inference backend', str(run?.inferenceBackend));
  const seed = num(run?.seed);
  add('seed', seed === undefined ? undefined : String(seed));
  add('config', sub(run?.config, 'file') && `${sub(run?.config, 'file')} (${sub(run?.config, 'hash') ?? '?'})`);
  add('reason', tags[TAGS.reason]);
  const total = isObj(run?.timings) ? num(run!.timings.totalSeconds) : num(Number(tags[TAGS.durationSeconds]));
  add('duration', total === undefined ? undefined : `${total.toFixed(1)} s`);
  add('started', str(run?.startedAt));
  if (!run && !s.version) missing.push('no run.json and no registry version, so there is no lineage');
  return rows;
}

export function buildRunReport(s: ReportSources): RunReport {
  const missing: string[] = [];
  const metrics = valueOf(s.metrics, 'metrics.json', missing);
  const run = valueOf(s.run, 'run.json', missing);
  const decisionDoc = valueOf(s.decision, 'the decision report', missing);
  const costDoc = valueOf(s.cost, 'the cost report', missing);
  if (s.interruptedAfterEpoch !== undefined)
    missing.push(
      `the run stopped before it finished: its checkpoint after epoch ${s.interruptedAfterEpoch} is all it left, so there are no final metrics, per-class results or confusion matrix`,
    );
  else if (!s.metrics && !s.version?.metrics)
    missing.push('the run recorded no metrics (a run stopped before it finished, or an Azure job that logged none)');
  else if (!s.metrics) missing.push('no metrics.json (only the metrics the registry holds)');
  const head = headline(metrics, s.version?.metrics);
  if (head.length === 0 && (s.metrics || s.version) && s.interruptedAfterEpoch === undefined)
    missing.push('no metric has a finite numeric value');
  const d = decision(decisionDoc, missing);
  const c = cost(costDoc, missing);
  const report: RunReport = {
    title: `${s.model}${s.version ? ` version ${s.version.version}` : ''}: run ${s.runId}`,
    runId: s.runId,
    model: s.model,
    ...(s.version ? { version: s.version.version, registry: s.version.registry } : {}),
    generatedAt: s.generatedAt,
    headline: head,
    curves: curves(metrics, missing),
    perClass: perClass(metrics, missing, s.interruptedAfterEpoch !== undefined),
    confusion: confusion(metrics, missing, s.interruptedAfterEpoch !== undefined),
    ...(d ? { decision: d } : {}),
    ...(c ? { cost: c } : {}),
    lineage: lineage(s, run, missing),
    missing,
  };
  if (!report.confusion) delete report.confusion;
  return report;
}
