/**
 * Draws the report's Vega-Lite charts as SVG on the server side: vega-lite compiles each specification to Vega, and a
 * headless vega View (renderer `none`: no DOM, no canvas) writes the SVG. The specifications carry their data inline,
 * so vega's loader never fetches anything; text is measured by vega's own estimate where the optional `canvas`
 * package is absent, which it is in tfaml's bundle.
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { Chart } from './charts.js';

export interface DrawnChart extends Chart {
  svg: string;
}

/** One chart: compiled, drawn, and its view released. */
export async function drawChart(chart: Chart): Promise<DrawnChart> {
  // vega-lite's types want its TopLevelSpec; the specs are built to it by ./charts.ts and checked by compile itself.
  const vegaSpec = compile(chart.spec as unknown as Parameters<typeof compile>[0]).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    // Each view numbers its gradients and clip paths from 0: on one page, two charts would share ids.
    const svg = (await view.toSVG())
      .replace(/\sid="([^"]+)"/g, ` id="${chart.id}-$1"`)
      .replace(/url\(#([^)]+)\)/g, `url(#${chart.id}-$1)`);
    return { ...chart, svg };
  } finally {
    view.finalize();
  }
}

export async function drawCharts(charts: readonly Chart[]): Promise<DrawnChart[]> {
  const out: DrawnChart[] = [];
  for (const c of charts) out.push(await drawChart(c));
  return out;
}
