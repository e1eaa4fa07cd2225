/**
 * The page: its charts drawn by vega from the report's data, its policy, its escaping. Pixels are the browser test's
 * (test/runreport/browser.test.ts); here, what the HTML holds.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { charts } from '../../src/runreport/charts.js';
import { contentSecurityPolicy, esc } from '../../src/runreport/html.js';
import { buildRunReport, type ReportSources } from '../../src/runreport/model.js';
import { runReportPage } from '../../src/runreport/page.js';
import { syntheticRun } from './fixtures.js';

const HOSTILE = '<img src=x onerror=alert(1)>"\'&';

function sources(epochs: number, classes: number, name?: (i: number) => string): ReportSources {
  const s = syntheticRun(epochs, classes, name);
  return {
    runId: 'r1',
    model: 'flowers',
    metrics: { file: 'metrics.json', value: s.metrics },
    run: { file: 'run.json', value: s.run },
    decision: { file: 'decision.json', value: s.decision },
    cost: { file: 'cost.json', value: s.cost },
    generatedAt: '2026-01-02T00:00:00.000Z',
  };
}

/** The SVG of one chart's figure in the page. */
function figure(html: string, id: string): string {
  const m = new RegExp(`<figure id="chart-${id}"[^>]*>([\\s\\S]*?)</figure>`).exec(html);
  if (!m) throw new Error(`no chart ${id} in the page`);
  return m[1]!;
}

describe('the report page', () => {
  it('draws one chart per section with data, each with marks from that data', async () => {
    const { html, charts: ids } = await runReportPage(sources(12, 5));
    expect(ids).toEqual(['loss', 'accuracy', 'confusion', 'per-class', 'gates', 'cost']);
    // Two lines (train, validation) per curve; 25 cells and 25 counts in the heatmap; 3 bars a class.
    expect(figure(html, 'loss').match(/class="mark-line role-mark/g)).toHaveLength(2);
    expect(figure(html, 'loss').match(/<path [^>]*d="M/g)!.length).toBeGreaterThanOrEqual(2);
    const heat = figure(html, 'confusion');
    expect(heat.match(/<path [^>]*d="M[^"]*"[^>]*fill="(?!none)/g)!.length).toBeGreaterThanOrEqual(25);
    expect(heat).toContain('>40</text>');
    const bars = figure(html, 'per-class').match(/class="mark-rect role-mark[\s\S]*?<\/g>/)![0];
    expect(bars.match(/<path /g)).toHaveLength(15);
  });

  it('names of classes and metrics are text, in the tables and in the charts', async () => {
    const { html } = await runReportPage(sources(2, 2, (i) => `${HOSTILE}${i}`));
    expect(html).not.toContain('<img');
    expect(html).toContain(esc(`${HOSTILE}0`));
    // With every quoted attribute value taken out, no tag is left with a handler: a quote in a name would have
    // ended its attribute early and left `onerror=` outside the quotes.
    const tags = html.replace(/="[^"]*"/g, '=""').match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\son\w+=(?!"")/i.test(t) || /^<(script|img|iframe|object)/i.test(t))).toEqual([]);
  });

  it('loads nothing: a strict policy, whose style hash is the page’s one style block', async () => {
    const { html } = await runReportPage(sources(2, 2));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toBe(contentSecurityPolicy());
    expect(csp).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    // No attribute or CSS that would fetch anything (namespaces are names, not requests).
    const withoutNamespaces = html.replace(/xmlns(:\w+)?="[^"]*"/g, '');
    expect(
      withoutNamespaces.match(/\s(?:src|srcset|xlink:href|action|poster|data)=|url\((?!#)|@import/gi) ?? [],
    ).toEqual([]);
    // The one kind of URL attribute: a link a reader may follow (the commit, the Azure ML job), never loaded.
    expect(withoutNamespaces.match(/\shref="[^"]*"/g)?.every((h) => h.startsWith(' href="https://'))).not.toBe(false);
  });

  it('a run with no metrics still makes a page that says so, with no charts', async () => {
    const s: ReportSources = { runId: 'r9', model: 'flowers', generatedAt: 'now' };
    const r = buildRunReport(s);
    expect(charts(r)).toEqual([]);
    const { html } = await runReportPage(s);
    expect(html).toContain('Missing from this run');
    expect(html).toContain(
      esc('the run recorded no metrics (a run stopped before it finished, or an Azure job that logged none)'),
    );
    expect(html).not.toContain('<svg');
  });
});
