/**
 * The report page: one self-contained HTML file. Its charts are inline SVG drawn by vega (./svg.ts), its style one
 * inline <style> allowed by its hash, and its Content-Security-Policy allows nothing else: no script, no font, no
 * image, no request of any kind. It reads without JavaScript, prints, and follows the reader's light or dark scheme.
 * Every value shown comes from files a pull request can shape (metric, class and deployment names, reasons), so
 * each goes through `esc`; the SVG is vega's, which escapes the text it draws.
 */
import { createHash } from 'node:crypto';
import type { DrawnChart } from './svg.js';
import type { RunReport } from './model.js';

export function esc(text: unknown): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --card: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --link: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --card: #151b23;
    --ok: #3fb950; --bad: #f85149; --warn: #d29922; --link: #4493f8; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1080px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.6em; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.2em; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta, figcaption, .note { color: var(--muted); font-size: 0.9em; }
a { color: var(--link); }
section { break-inside: avoid-page; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.cards li { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.cards .v { font-size: 1.4em; font-weight: 600; display: block; }
.cards .k { color: var(--muted); font-size: 0.85em; }
figure { margin: 12px 0 20px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; }
th { background: var(--card); }
td { overflow-wrap: anywhere; }
.banner { border-radius: 6px; padding: 10px 14px; margin: 16px 0; border: 1px solid var(--line); background: var(--card); font-weight: 600; }
.banner.ok { border-color: var(--ok); } .banner.bad { border-color: var(--bad); }
.missing { border-left: 4px solid var(--warn); background: var(--card); padding: 8px 14px; margin: 16px 0; }
.pass { color: var(--ok); } .fail { color: var(--bad); } .skipped { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #999999; --card: #ffffff; --link: #000000; }
  body { max-width: none; padding: 0; }
  figure { overflow: visible; }
  a::after { content: " (" attr(href) ")"; font-size: 0.8em; overflow-wrap: anywhere; }
}
`;

/** The policy: nothing may load or run; the one style block is allowed by its hash. */
export function contentSecurityPolicy(style: string = STYLE): string {
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    "img-src 'none'",
    "font-src 'none'",
    "script-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const OK = new Set(['promoted', 'unchanged', 'would-promote', 'rolled-back', 'would-roll-back']);

function table(head: string[], rows: string[][], numeric: boolean[] = []): string {
  return [
    '<table><thead><tr>',
    ...head.map((h) => `<th scope="col">${esc(h)}</th>`),
    '</tr></thead><tbody>',
    ...rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`),
    '</tbody></table>',
  ].join('');
}

const f3 = (v: number | null) => (v === null ? '—' : String(Number(v.toPrecision(6))));

function figure(c: DrawnChart | undefined): string {
  if (!c) return '';
  return `<figure id="chart-${esc(c.id)}" class="chart" data-chart="${esc(c.id)}"><figcaption><strong>${esc(c.title)}</strong>. ${esc(c.caption)}</figcaption>${c.svg}</figure>`;
}

function decisionSection(r: RunReport, chart: DrawnChart | undefined): string {
  const d = r.decision;
  if (!d) return '';
  const ok = OK.has(d.decision);
  const where = d.productionVersion ? ` → production ${esc(d.productionVersion)}` : '';
  const parts = [
    '<section id="decision"><h2>Promotion decision</h2>',
    `<div class="banner ${ok ? 'ok' : 'bad'}">${ok ? '✔' : '✖'} ${esc(d.decision)}${d.candidateVersion ? `: candidate version ${esc(d.candidateVersion)}` : ''}${where}; champion: ${d.championVersion ? `production ${esc(d.championVersion)}` : 'none yet'}</div>`,
    figure(chart),
  ];
  if (d.gates.length)
    parts.push(
      table(
        ['gate', 'metric', 'threshold', 'better', 'candidate', 'champion', 'limit', 'result', 'reason'],
        d.gates.map((g) => [
          esc(g.gate),
          `<code>${esc(g.metric)}</code>`,
          `${esc(g.kind)} ${esc(f3(g.threshold))}`,
          esc(g.direction),
          esc(f3(g.candidate)),
          esc(f3(g.champion)),
          esc(f3(g.limit)),
          `<span class="${esc(g.status)}">${esc(g.status)}</span>`,
          esc(g.reason),
        ]),
        [true, false, false, false, true, true, true],
      ),
    );
  else parts.push('<p class="note">No gates: any candidate passes.</p>');
  for (const n of d.notes) parts.push(`<p class="note">${esc(n)}</p>`);
  parts.push('</section>');
  return parts.join('');
}

function costSection(r: RunReport, chart: DrawnChart | undefined): string {
  const c = r.cost;
  if (!c) return '';
  const m = (x: number) => `${esc(c.currency)} ${x.toFixed(2)}`;
  const rows: string[][] = [];
  if (c.estimate)
    rows.push([
      'estimate (one run)',
      m(c.estimate.expected),
      `${m(c.estimate.low)} – ${m(c.estimate.high)}${c.hoursSource ? `; hours from ${esc(c.hoursSource)}` : ''}`,
    ]);
  if (c.actualDetail || c.actual !== undefined)
    rows.push(['actual', c.actual === undefined ? 'not billed' : m(c.actual), esc(c.actualDetail ?? '')]);
  return `<section id="cost"><h2>Cost</h2>${figure(chart)}${table(['', 'amount', 'how'], rows, [false, true])}</section>`;
}

export function renderHtml(r: RunReport, drawn: readonly DrawnChart[]): string {
  const chart = (id: string) => drawn.find((c) => c.id === id);
  const body: string[] = [];
  body.push(
    `<header><h1>${esc(r.title)}</h1><p class="meta">tfaml run report · ${esc(r.model)}${r.version ? ` version ${esc(r.version)} in ${esc(r.registry ?? '')}` : ''} · run <code>${esc(r.runId)}</code> · written ${esc(r.generatedAt)}</p></header>`,
  );
  if (r.decision) {
    const ok = OK.has(r.decision.decision);
    body.push(`<p class="banner ${ok ? 'ok' : 'bad'}">Decision: ${esc(r.decision.decision)} (see below)</p>`);
  }
  if (r.missing.length)
    body.push(
      `<section class="missing" id="missing"><strong>Missing from this run</strong><ul>${r.missing.map((m) => `<li>${esc(m)}</li>`).join('')}</ul></section>`,
    );
  if (r.headline.length)
    body.push(
      `<section id="metrics"><h2>Metrics</h2><ul class="cards">${r.headline
        .map((k) => `<li><span class="v">${esc(k.text)}</span><span class="k">${esc(k.label)}</span></li>`)
        .join('')}</ul></section>`,
    );
  if (chart('loss') || chart('accuracy'))
    body.push(
      `<section id="curves"><h2>Learning curves</h2>${figure(chart('loss'))}${figure(chart('accuracy'))}</section>`,
    );
  if (chart('confusion'))
    body.push(`<section id="confusion"><h2>Confusion matrix</h2>${figure(chart('confusion'))}</section>`);
  if (r.perClass.length)
    body.push(
      `<section id="per-class"><h2>Per class</h2>${figure(chart('per-class'))}${table(
        ['class', 'precision', 'recall', 'F1', 'support'],
        r.perClass.map((c) => [
          esc(c.name),
          c.precision.toFixed(3),
          c.recall.toFixed(3),
          c.f1.toFixed(3),
          esc(c.support),
        ]),
        [false, true, true, true, true],
      )}</section>`,
    );
  body.push(decisionSection(r, chart('gates')));
  body.push(costSection(r, chart('cost')));
  if (r.lineage.length)
    body.push(
      `<section id="lineage"><h2>Lineage</h2>${table(
        ['', 'value'],
        r.lineage.map((l) => [
          esc(l.label),
          l.href
            ? `<a href="${esc(l.href)}" rel="noopener noreferrer"><code>${esc(l.value)}</code></a>`
            : `<code>${esc(l.value)}</code>`,
        ]),
      )}</section>`,
    );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    '<meta name="color-scheme" content="light dark">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(r.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body.filter(Boolean),
    '<footer class="meta"><p>Written by tfaml report from metrics.json, run.json and the registry version; promote’s and cost’s JSON reports where given. No script, no request: this file is the whole report.</p></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
