/**
 * The fault matrix of the Azure Retail Prices API (issue 11, item 2): the cost command end to end on a copy of
 * examples/, its prices from the real client (src/adapters/prices/retail.ts, through pricesFor as the command builds
 * it) against the local prices API failing as the real one can. With `prices: auto` every failure falls back to the
 * bundled snapshot and the report and the log say why; with `prices: api` it is exit 3 (describeFailure in
 * src/entries/main.ts, as both entries map it). Waits are recorded, not slept.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pricesFor, type PriceMode } from '../../src/adapters/prices/index.js';
import { cost } from '../../src/commands/cost.js';
import { describeFailure } from '../../src/entries/main.js';
import { item, startPricesServer, type PricesServer, type PricesServerOptions } from '../fakes/prices-server.js';
import { capture, copyExample, inputs } from '../helpers/project.js';

const ITEMS = [item('eastus', 'Standard_NC6s_v3', 3.06), item('eastus', 'Standard_DS3_v2', 0.293)];
let server: PricesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runCost(mode: PriceMode, fault: Omit<PricesServerOptions, 'items'>) {
  server = await startPricesServer({ items: ITEMS, ...fault });
  const dir = copyExample();
  const out = capture('cli');
  const waits: number[] = [];
  const prices = pricesFor(mode, {
    projectRoot: dir,
    log: out.log,
    url: server.url,
    timeoutMs: 300,
    sleep: async (ms) => void waits.push(ms),
  });
  try {
    const code = await cost(inputs({ config: path.join(dir, 'tfaml.yml'), prices: mode }), out, { prices });
    return { code, told: out.stdout, logs: out.logs, summaries: out.summaries, waits };
  } catch (e) {
    const f = describeFailure(e);
    return { code: f.exitCode, told: f.message, logs: out.logs, summaries: out.summaries, waits };
  }
}

const host = () => new URL(server!.url).host;

/** Each fault that lasts, and what the user is told about it. */
const LASTING: [string, Omit<PricesServerOptions, 'items'>, (h: string) => string][] = [
  [
    '429 with Retry-After, every time',
    { throttle: 1000, retryAfter: '1' },
    (h) => `${h} did not answer after 4 attempts (HTTP 429)`,
  ],
  [
    '429 asking for longer than tfaml waits',
    { throttle: 1000, retryAfter: '3600' },
    (h) => `${h} asked to retry after 3600 s (HTTP 429), longer than the 30 s we wait`,
  ],
  ['503 outage', { outage: true }, (h) => `${h} did not answer after 4 attempts (HTTP 503)`],
  ['500 outage', { outage: true, outageStatus: 500 }, (h) => `${h} did not answer after 4 attempts (HTTP 500)`],
  ['a server that never answers', { hang: true }, (h) => `${h} did not answer within 0.3 s`],
  ['JSON cut off mid-answer', { malformed: 'truncated' }, (h) => `${h} answered with something that is not JSON`],
  [
    'JSON that is not a page of prices',
    { malformed: 'not-a-page' },
    (h) => `${h} answered with JSON that is not a page of prices`,
  ],
];

describe('cost against a failing prices API', () => {
  it.each(LASTING)('%s: auto falls back to the snapshot and says why, exit 0', async (_, fault, why) => {
    const r = await runCost('auto', fault);
    expect(r.code).toBe(0);
    expect(r.logs).toContain(`warning: prices: ${why(host())}; using the bundled offline snapshot instead`);
    expect(r.told).toContain('**Prices from the offline snapshot**');
    expect(r.told).toContain(`because the prices API could not be used: ${why(host())}`);
    expect(r.summaries).toEqual([r.told]);
    // Bounded: one query's attempts, then the snapshot for everything (no query per size after the first failure).
    expect(server!.requests.length).toBeLessThanOrEqual(4);
  });

  it.each(LASTING)('%s: api is exit 3, safe to re-run, nothing reported', async (_, fault, why) => {
    const r = await runCost('api', fault);
    expect(r.code).toBe(3);
    expect(r.told).toContain(`the prices API cannot be used: ${why(host())}`);
    expect(r.told).toContain('it is safe to run again as is');
    expect(r.summaries).toEqual([]);
  });

  it('429 with Retry-After that lifts: waited as asked, then API prices (no snapshot)', async () => {
    const r = await runCost('api', { throttle: 2, retryAfter: '2' });
    expect(r.code).toBe(0);
    expect(r.waits).toEqual([2000, 2000]);
    expect(r.told).not.toContain('offline snapshot');
    expect(server!.requests.slice(0, 3).map((q) => q.status)).toEqual([429, 429, 200]);
  });

  it('a 5xx that heals: backoff, then API prices', async () => {
    const r = await runCost('auto', { outage: 2 });
    expect(r.code).toBe(0);
    expect(r.waits).toEqual([1000, 2000]);
    expect(r.logs.filter((l) => l.startsWith('warning'))).toEqual([]);
    expect(r.told).not.toContain('offline snapshot');
  });
});
