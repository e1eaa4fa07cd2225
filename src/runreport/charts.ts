/**
 * The report's charts as Vega-Lite specifications, built from the report's data (./model.ts) and nothing else. Pure:
 * ./svg.ts hands them to vega to draw. Text and axes are drawn in `currentColor`, so the page's colour (light or
 * dark, see ./html.ts) is the charts' colour too; the background stays transparent.
 */
import type { ClassRow, CostSection, CurvePoint, DecisionSection, RunReport } from './model.js';

/** A Vega-Lite top-level specification (kept loose: vega-lite checks it when it compiles). */
export type ChartSpec = Record<string, unknown>;

export interface Chart {
  /** Stable id, used by the page (`id="chart-<id>"`) and by the browser test. */
  id: string;
  title: string;
  /** One sentence under the chart, for a reader who cannot see it (and for print). */
  caption: string;
  spec: ChartSpec;
}

const INK = 'currentColor';
const CONFIG = {
  background: null,
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: {
    labelColor: INK,
    titleColor: INK,
    domainColor: INK,
    tickColor: INK,
    gridColor: INK,
    gridOpacity: 0.15,
    labelFontSize: 11,
    titleFontSize: 12,
  },
  legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 12 },
  header: { labelColor: INK, titleColor: INK, labelFontSize: 11 },
  title: { color: INK },
  range: { category: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'] },
};

const base = (width = 520, height = 260): ChartSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width,
  height,
  config: CONFIG,
});

function curve(points: CurvePoint[], metric: 'loss' | 'accuracy'): ChartSpec {
  const values = points
    .filter((p) => p.metric === metric)
    .map((p) => ({ epoch: p.epoch, split: p.split, value: p.value }));
  return {
    ...base(),
    data: { values },
    mark: { type: 'line', point: values.length <= 60, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: metric,
        scale: metric === 'accuracy' ? { domain: [0, 1] } : { zero: true },
      },
      color: { field: 'split', type: 'nominal', title: null, sort: ['train', 'validation'] },
      strokeDash: { field: 'split', type: 'nominal', title: null, sort: ['train', 'validation'] },
    },
  };
}

function confusion(c: NonNullable<RunReport['confusion']>): ChartSpec {
  const k = c.classes.length;
  const cell = Math.max(14, Math.min(48, Math.floor(520 / Math.max(1, k))));
  const max = Math.max(1, ...c.cells.map((x) => x.count));
  const axis = { field: '', type: 'ordinal', sort: c.classes, axis: { labelLimit: 120 } };
  return {
    ...base(cell * k, cell * k),
    data: { values: c.cells },
    encoding: {
      x: { ...axis, field: 'predicted', title: 'predicted', axis: { ...axis.axis, labelAngle: -45 } },
      y: { ...axis, field: 'actual', title: 'actual' },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: { field: 'count', type: 'quantitative', title: 'count', scale: { scheme: 'blues', domain: [0, max] } },
        },
      },
      {
        mark: { type: 'text', fontSize: Math.max(8, Math.min(12, cell / 3)) },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

function classF1(rows: ClassRow[]): ChartSpec {
  const values = rows.flatMap((r) =>
    (['precision', 'recall', 'f1'] as const).map((m) => ({
      class: r.name,
      measure: m === 'f1' ? 'F1' : m,
      value: r[m],
    })),
  );
  return {
    ...base(520, Math.max(80, rows.length * 30)),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'class', type: 'nominal', title: null, sort: rows.map((r) => r.name), axis: { labelLimit: 160 } },
      yOffset: { field: 'measure', type: 'nominal', sort: ['precision', 'recall', 'F1'] },
      x: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } },
      color: { field: 'measure', type: 'nominal', title: null, sort: ['precision', 'recall', 'F1'] },
    },
  };
}

function gates(d: DecisionSection): ChartSpec {
  const bars: Record<string, unknown>[] = [];
  const rules: Record<string, unknown>[] = [];
  for (const g of d.gates) {
    const row = `${g.metric} ${g.kind} (${g.status})`;
    if (g.candidate !== null) bars.push({ row, who: 'candidate', value: g.candidate });
    if (g.champion !== null) bars.push({ row, who: 'champion', value: g.champion });
    if (g.limit !== null) rules.push({ row, who: 'limit', value: g.limit });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values: [...bars, ...rules] },
    facet: {
      row: {
        field: 'row',
        type: 'nominal',
        title: null,
        sort: d.gates.map((g) => `${g.metric} ${g.kind} (${g.status})`),
        header: { labelAngle: 0, labelAlign: 'left', labelLimit: 220 },
      },
    },
    spec: {
      width: 360,
      height: 44,
      layer: [
        {
          transform: [{ filter: "datum.who !== 'limit'" }],
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'who', type: 'nominal', title: null, sort: ['candidate', 'champion'] },
            x: { field: 'value', type: 'quantitative', title: null },
            color: { field: 'who', type: 'nominal', title: null, sort: ['candidate', 'champion'] },
          },
        },
        {
          transform: [{ filter: "datum.who === 'limit'" }],
          mark: { type: 'rule', color: '#d62728', strokeWidth: 2, strokeDash: [4, 2] },
          encoding: { x: { field: 'value', type: 'quantitative' } },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  };
}

function costChart(c: CostSection): ChartSpec {
  const values: Record<string, unknown>[] = [];
  if (c.estimate)
    values.push({ what: 'estimate', value: c.estimate.expected, low: c.estimate.low, high: c.estimate.high });
  if (c.actual !== undefined) values.push({ what: 'actual', value: c.actual, low: c.actual, high: c.actual });
  return {
    ...base(420, 90),
    data: { values },
    encoding: { y: { field: 'what', type: 'nominal', title: null, sort: ['estimate', 'actual'] } },
    layer: [
      {
        mark: { type: 'bar', height: 22 },
        encoding: {
          x: { field: 'value', type: 'quantitative', title: c.currency },
          color: { field: 'what', type: 'nominal', legend: null, sort: ['estimate', 'actual'] },
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2, color: INK },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
    ],
  };
}

/** The charts a report has data for, in page order. */
export function charts(r: RunReport): Chart[] {
  const out: Chart[] = [];
  const losses = r.curves.filter((p) => p.metric === 'loss');
  const accs = r.curves.filter((p) => p.metric === 'accuracy');
  const epochs = new Set(r.curves.map((p) => p.epoch)).size;
  if (losses.length)
    out.push({
      id: 'loss',
      title: 'Loss per epoch',
      caption: `Training and validation loss over ${epochs} epochs.`,
      spec: curve(r.curves, 'loss'),
    });
  if (accs.length)
    out.push({
      id: 'accuracy',
      title: 'Accuracy per epoch',
      caption: `Training and validation accuracy over ${epochs} epochs.`,
      spec: curve(r.curves, 'accuracy'),
    });
  if (r.confusion)
    out.push({
      id: 'confusion',
      title: 'Confusion matrix',
      caption: `Validation examples by actual class (rows) and predicted class (columns), ${r.confusion.classes.length} classes.`,
      spec: confusion(r.confusion),
    });
  if (r.perClass.length)
    out.push({
      id: 'per-class',
      title: 'Precision, recall and F1 per class',
      caption: `On the validation split, ${r.perClass.length} classes.`,
      spec: classF1(r.perClass),
    });
  if (r.decision && r.decision.gates.some((g) => g.candidate !== null || g.champion !== null))
    out.push({
      id: 'gates',
      title: 'Gates: candidate and champion against each threshold',
      caption: 'Bars: the candidate and the champion; dashed red line: where the threshold lies.',
      spec: gates(r.decision),
    });
  if (r.cost && (r.cost.estimate || r.cost.actual !== undefined))
    out.push({
      id: 'cost',
      title: 'Cost of one run: estimate and actual',
      caption: 'The estimate’s bar is its expected figure, the line its low–high range.',
      spec: costChart(r.cost),
    });
  return out;
}
