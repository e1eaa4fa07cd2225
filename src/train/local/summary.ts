/** The job summary of a training run: the metrics table and the learning curve as a mermaid xychart. Pure. */
import type { EpochRecord } from './progress.js';
import type { Evaluation } from './metrics.js';

export interface SummaryInput {
  model: string;
  version: string;
  registry: string;
  backend: string;
  evaluation: Evaluation;
  loss: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** The interquartile range of each over the measurement rounds, when measured so (./metrics.ts latencyStats). */
  latencyIqrMs?: { p50: number; p95: number; rounds: number };
  modelBytes: number;
  history: EpochRecord[];
  classes: string[];
  seconds: number;
}

const f = (n: number, d = 3) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/"/g, "'");

export function learningCurve(history: readonly EpochRecord[]): string {
  if (history.length === 0) return '';
  const xs = history.map((h) => String(h.epoch)).join(', ');
  const series = (values: number[]) => values.map((v) => f(v, 4)).join(', ');
  const maxLoss = Math.max(1, ...history.flatMap((h) => [h.loss, h.valLoss]).filter(Number.isFinite));
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Learning curve (lines: train loss, validation loss, validation accuracy)"',
    `    x-axis "epoch" [${xs}]`,
    `    y-axis "loss / accuracy" 0 --> ${f(Math.ceil(maxLoss * 10) / 10, 1)}`,
    `    line [${series(history.map((h) => h.loss))}]`,
    `    line [${series(history.map((h) => h.valLoss))}]`,
    `    line [${series(history.map((h) => h.valAccuracy))}]`,
    '```',
  ].join('\n');
}

export function trainSummary(s: SummaryInput): string {
  const e = s.evaluation;
  const iqrNote = s.latencyIqrMs ? `, median of ${s.latencyIqrMs.rounds} rounds` : '';
  const iqr = (v: number | undefined) => (v === undefined ? '' : ` (IQR ${f(v, 1)})`);
  const lines = [
    `### tfaml train: ${escape(s.model)} version ${escape(s.version)}, accuracy ${f(e.accuracy)}`,
    '',
    `Registered in ${escape(s.registry)}; trained on the ${s.backend} backend in ${f(s.seconds, 1)} s.`,
    '',
    '| metric | value |',
    '|---|---|',
    `| accuracy | ${f(e.accuracy)} |`,
    `| loss | ${f(s.loss, 4)} |`,
    `| macro F1 | ${f(e.macroF1)} |`,
    `| latency p50 (ms, one image${iqrNote}) | ${f(s.latencyP50Ms, 1)}${iqr(s.latencyIqrMs?.p50)} |`,
    `| latency p95 (ms, one image${iqrNote}) | ${f(s.latencyP95Ms, 1)}${iqr(s.latencyIqrMs?.p95)} |`,
    `| model size (bytes) | ${s.modelBytes} |`,
    '',
    '| class | precision | recall | F1 | support |',
    '|---|---|---|---|---|',
    ...s.classes.map((c) => {
      const m = e.perClass[c]!;
      return `| ${escape(c)} | ${f(m.precision)} | ${f(m.recall)} | ${f(m.f1)} | ${m.support} |`;
    }),
    '',
    `Confusion matrix (rows: actual, columns: predicted)`,
    '',
    `| | ${s.classes.map(escape).join(' | ')} |`,
    `|---|${s.classes.map(() => '---').join('|')}|`,
    ...s.classes.map((c, i) => `| **${escape(c)}** | ${e.confusion[i]!.join(' | ')} |`),
    '',
    learningCurve(s.history),
    '',
  ];
  return lines.join('\n');
}
