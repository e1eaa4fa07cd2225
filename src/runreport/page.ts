/** The report from its sources to the page: the data, its charts drawn, the HTML. */
import { charts } from './charts.js';
import { renderHtml } from './html.js';
import { buildRunReport, type ReportSources, type RunReport } from './model.js';
import { drawCharts } from './svg.js';

export async function runReportPage(s: ReportSources): Promise<{ report: RunReport; html: string; charts: string[] }> {
  const report = buildRunReport(s);
  const drawn = await drawCharts(charts(report));
  return { report, html: renderHtml(report, drawn), charts: drawn.map((c) => c.id) };
}
