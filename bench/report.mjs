// Benchmark of the run report (issue 14, item 6): the page of a synthetic 200-epoch, 20-class run (the fixture of
// test/runreport/fixtures.ts, with a decision and a cost report), written in a fresh node process as `tfaml report`
// would. Targets: under 2 s and under 1 MiB. Side by side in the same process, two references: vega drawing the
// one loss chart alone, and JSON.stringify of the same data (the floor of any report of it).
// Usage: node bench/report.mjs   (env: BENCH_EPOCHS, default 200; BENCH_CLASSES, default 20; BENCH_RUNS, default 3)
// It bundles the report's sources with esbuild into a temp folder under node_modules/.cache (so vega resolves from
// node_modules), no build needed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 200);
const CLASSES = Number(process.env.BENCH_CLASSES ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

mkdirSync(path.join(repo, 'node_modules', '.cache'), { recursive: true });
const work = mkdtempSync(path.join(repo, 'node_modules', '.cache', 'tfaml-bench-report-'));
try {
  const entry = path.join(work, 'entry.ts');
  writeFileSync(
    entry,
    `
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runReportPage } from ${JSON.stringify(path.join(repo, 'src/runreport/page.ts'))};
import { charts } from ${JSON.stringify(path.join(repo, 'src/runreport/charts.ts'))};
import { drawChart } from ${JSON.stringify(path.join(repo, 'src/runreport/svg.ts'))};
import { buildRunReport } from ${JSON.stringify(path.join(repo, 'src/runreport/model.ts'))};
import { syntheticRun } from ${JSON.stringify(path.join(repo, 'test/runreport/fixtures.ts'))};
const [epochs, classes, which, out] = process.argv.slice(2);
const s = syntheticRun(Number(epochs), Number(classes));
const sources = {
  runId: 'bench', model: 'bench',
  metrics: { file: 'metrics.json', value: s.metrics }, run: { file: 'run.json', value: s.run },
  decision: { file: 'decision.json', value: s.decision }, cost: { file: 'cost.json', value: s.cost },
  generatedAt: new Date().toISOString(),
};
const t0 = performance.now();
let bytes = 0;
if (which === 'page') {
  const { html } = await runReportPage(sources);
  writeFileSync(out, html);
  bytes = Buffer.byteLength(html);
} else if (which === 'one-chart') {
  const c = charts(buildRunReport(sources)).find((x) => x.id === 'loss');
  bytes = (await drawChart(c)).svg.length;
} else {
  const json = JSON.stringify(buildRunReport(sources));
  writeFileSync(out, json);
  bytes = Buffer.byteLength(json);
}
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, bytes }));
`,
  );
  await build({
    entryPoints: [entry],
    outfile: path.join(work, 'bench.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const once = (which) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [path.join(work, 'bench.mjs'), EPOCHS, CLASSES, which, path.join(work, 'out')],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`${which}: ${r.stderr}`);
    return { ...JSON.parse(r.stdout), process: Number(process.hrtime.bigint() - t) / 1e6 };
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = { page: [], 'one-chart': [], json: [] };
  // Alternated, so a busy moment on the shared machine falls on all three alike.
  for (let i = 0; i < RUNS; i++) for (const k of Object.keys(rows)) rows[k].push(once(k));
  const m = Object.fromEntries(
    Object.entries(rows).map(([k, v]) => [
      k,
      { ms: median(v.map((x) => x.ms)), process: median(v.map((x) => x.process)), bytes: v[0].bytes },
    ]),
  );
  const mib = (b) => (b / 1048576).toFixed(3);
  console.log(
    `report of a ${EPOCHS}-epoch, ${CLASSES}-class run (with gates and cost), medians of ${RUNS} fresh processes:`,
  );
  console.log(
    `  page (6 charts + HTML): ${m.page.ms.toFixed(0)} ms to build, draw and write (${m.page.process.toFixed(0)} ms with node's start-up and loading vega); ${mib(m.page.bytes)} MiB  [targets < 2000 ms to write, < 1 MiB: ${m.page.ms < 2000 ? 'met' : 'NOT met'}, ${m.page.bytes < 1048576 ? 'met' : 'NOT met'}]`,
  );
  console.log(
    `  one vega chart (the loss curve): ${m['one-chart'].ms.toFixed(0)} ms, ${mib(m['one-chart'].bytes)} MiB`,
  );
  console.log(`  JSON.stringify of the report's data: ${m.json.ms.toFixed(1)} ms, ${mib(m.json.bytes)} MiB`);
  console.log(
    `  ratios: page / one chart ${(m.page.ms / m['one-chart'].ms).toFixed(2)}x time; page / JSON ${(m.page.bytes / m.json.bytes).toFixed(2)}x size`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
