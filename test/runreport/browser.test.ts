/**
 * The report in a real browser: headless Chromium (Debian's `chromium`, which .ci/run installs) opens report.html from
 * a file:// URL. The page must load with no console error (a blocked style or a CSP violation is one) and no request
 * at all, and every chart must have drawn marks. A screenshot is saved under test-results/ for a person to look at.
 * Skipped, saying why, only where no Chromium is installed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReportPage } from '../../src/runreport/page.js';
import { syntheticRun } from './fixtures.js';
import { tempDir } from '../helpers/project.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const RESULTS = path.resolve(__dirname, '../../test-results/runreport');

describe.skipIf(!CHROMIUM)(
  `report.html in Chromium${CHROMIUM ? '' : ' (skipped: no /usr/bin/chromium; apt-get install chromium)'}`,
  () => {
    it('loads with no console error and no request, every chart drawn', { timeout: 180_000 }, async () => {
      const s = syntheticRun(40, 8, (i) => (i === 0 ? '<img src=x onerror=alert(1)>' : `class-${i}`));
      const { html, charts } = await runReportPage({
        runId: '20260101T000000-abcdef',
        model: 'flowers',
        metrics: { file: 'metrics.json', value: s.metrics },
        run: { file: 'run.json', value: s.run },
        decision: { file: 'decision.json', value: s.decision },
        cost: { file: 'cost.json', value: s.cost },
        links: { server: 'https://github.com', repository: 'acme/flowers' },
        generatedAt: '2026-01-02T00:00:00.000Z',
      });
      // A folder with a space and non-ASCII letters: file:// URLs must be encoded right.
      const dir = path.join(tempDir(), 'report å b');
      mkdirSync(dir);
      const file = path.join(dir, 'report.html');
      writeFileSync(file, html);

      const { launch } = await import('puppeteer-core');
      const browser = await launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
        protocolTimeout: 120_000,
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warn') errors.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
        await page.setRequestInterception(true);
        page.on('request', (r) => {
          const url = r.url();
          if (url === pathToFileURL(file).href) return void r.continue();
          requests.push(url);
          void r.abort();
        });
        await page.setViewport({ width: 1100, height: 900 });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });

        const marks = await page.$$eval('figure.chart', (figs) =>
          figs.map((f) => ({
            id: f.getAttribute('data-chart'),
            marks: f.querySelectorAll('svg .role-mark path, svg .role-mark rect, svg .role-mark line').length,
            width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
          })),
        );
        expect(marks.map((m) => m.id)).toEqual(charts);
        for (const m of marks) {
          expect(m.marks, `chart ${m.id} has no marks`).toBeGreaterThan(0);
          expect(m.width, `chart ${m.id} is not laid out`).toBeGreaterThan(50);
        }
        // The hostile class name is text on the page, never an element.
        expect(await page.$$eval('img, script, iframe', (els) => els.length)).toBe(0);
        expect(await page.$eval('#per-class table', (t) => t.textContent)).toContain('<img src=x onerror=alert(1)>');
        // The style block applied (a CSP that blocked it would leave the cards unstyled and log an error).
        expect(
          await page.$eval('.cards li', (li) => li.ownerDocument.defaultView!.getComputedStyle(li).borderTopStyle),
        ).toBe('solid');
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);

        mkdirSync(RESULTS, { recursive: true });
        await page.screenshot({ path: path.join(RESULTS, 'report-light.png'), fullPage: true });
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
        const bg = await page.$eval('body', (b) => b.ownerDocument.defaultView!.getComputedStyle(b).backgroundColor);
        expect(bg).toBe('rgb(13, 17, 23)');
        await page.screenshot({ path: path.join(RESULTS, 'report-dark.png'), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  },
);
