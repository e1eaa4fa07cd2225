import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RetailPrices, meterTier, retryAfterSeconds } from '../../src/adapters/prices/retail.js';
import { pricesFor } from '../../src/adapters/prices/index.js';
import { PricesUnavailableError, ServiceUnavailableError } from '../../src/core/errors.js';
import { describeFailure } from '../../src/entries/main.js';
import { item, startPricesServer, type PricesServer } from '../fakes/prices-server.js';
import { tempDir } from '../helpers/project.js';

const ITEMS = [
  item('eastus', 'Standard_NC6s_v3', 3.06),
  item('eastus', 'Standard_NC6s_v3', 3.5, {
    productName: 'Virtual Machines NCSv3 Series Windows',
    meterName: 'NC6s v3',
    effectiveStartDate: '2025-06-01T00:00:00Z',
  }),
  item('eastus', 'Standard_NC6s_v3', 0.918, { meterName: 'NC6s v3 Spot', skuName: 'NC6s v3 Spot' }),
  item('eastus', 'Standard_NC6s_v3', 0.612, { meterName: 'NC6s v3 Low Priority', skuName: 'NC6s v3 Low Priority' }),
  item('eastus', 'Standard_NC6s_v3', 1.9, { priceType: 'Reservation', type: 'Reservation', unitOfMeasure: '1 Hour' }),
  item('eastus', 'Standard_NC6s_v3', 2.9, { productName: 'Virtual Machines NCSv3 Series RHEL' }),
  item('eastus', 'Standard_NC6s_v3', 2.5, { type: 'DevTestConsumption' }),
  item('westeurope', 'Standard_NC6s_v3', 3.37),
  item('northeurope', 'Standard_NC6s_v3', 3.3),
  item('eastus', 'Standard_DS3_v2', 0.293),
  // Many other meters for the region, so the region query pages.
  ...Array.from({ length: 12 }, (_, i) => item('eastus', `Standard_D${i + 2}s_v5`, 0.1 * (i + 1))),
];

let server: PricesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const noSleep = { sleep: async () => {} };

describe('the Retail Prices client against a local prices API', () => {
  it('sends case-sensitive eq filters, follows NextPageLink, keeps Linux consumption meters by tier', async () => {
    server = await startPricesServer({ items: ITEMS, pageSize: 2 });
    const client = new RetailPrices({ url: server.url, ...noSleep });
    const r = await client.lookup('eastus', ['Standard_NC6s_v3']);
    expect(r.prices.map((p) => [p.tier, p.hourly]).sort()).toEqual([
      ['dedicated', 3.06],
      ['low-priority', 0.612],
      ['spot', 0.918],
    ]);
    expect(r.missing).toEqual([]);
    expect(r.source.kind).toBe('api');
    expect(server.requests[0]!.filter).toBe(
      "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and armSkuName eq 'Standard_NC6s_v3' and priceType eq 'Consumption'",
    );
    expect(server.requests[0]!.currency).toBe('USD');
    // 6 items pass the server's filter (Windows, RHEL, spot, low priority and DevTest share priceType Consumption): pages of 2.
    expect(server.requests.map((q) => q.skip)).toEqual([0, 2, 4]);
  });

  it('a size in another case, or a region without it, comes back missing with the regions that have it', async () => {
    server = await startPricesServer({ items: ITEMS });
    const client = new RetailPrices({ url: server.url, ...noSleep });
    const wrongCase = await client.lookup('eastus', ['standard_nc6s_v3']);
    expect(wrongCase.missing).toEqual([{ sku: 'standard_nc6s_v3', pricedIn: [] }]);
    const region = await client.lookup('westus3', ['Standard_NC6s_v3']);
    expect(region.missing).toEqual([{ sku: 'Standard_NC6s_v3', pricedIn: ['eastus', 'northeurope', 'westeurope'] }]);
  });

  it('waits as Retry-After says on 429, then succeeds', async () => {
    server = await startPricesServer({ items: ITEMS, throttle: 2, retryAfter: '3' });
    const waits: number[] = [];
    const client = new RetailPrices({ url: server.url, sleep: async (ms) => void waits.push(ms) });
    const r = await client.lookup('eastus', ['Standard_DS3_v2']);
    expect(r.prices).toEqual([expect.objectContaining({ sku: 'Standard_DS3_v2', hourly: 0.293, tier: 'dedicated' })]);
    expect(waits).toEqual([3000, 3000]);
    expect(server.requests.map((q) => q.status)).toEqual([429, 429, 200]);
  });

  it('gives up, bounded, when Retry-After is longer than it waits or the 429s do not stop', async () => {
    server = await startPricesServer({ items: ITEMS, throttle: 100, retryAfter: '3600' });
    await expect(
      new RetailPrices({ url: server.url, ...noSleep }).lookup('eastus', ['Standard_DS3_v2']),
    ).rejects.toThrow(/retry after 3600 s/);
    server.options.retryAfter = '1';
    const before = server.requests.length;
    await expect(
      new RetailPrices({ url: server.url, attempts: 3, ...noSleep }).lookup('eastus', ['Standard_DS3_v2']),
    ).rejects.toThrow(/did not answer after 3 attempts \(HTTP 429\)/);
    expect(server.requests.length - before).toBe(3);
  });

  it('an outage is PricesUnavailableError; auto falls back to the snapshot and says why, api refuses (exit 3: the service is unavailable, safe to re-run)', async () => {
    server = await startPricesServer({ items: ITEMS, outage: true });
    await expect(
      new RetailPrices({ url: server.url, ...noSleep }).lookup('eastus', ['Standard_NC6s_v3']),
    ).rejects.toThrow(PricesUnavailableError);
    const logs: string[] = [];
    const log = { info: () => {}, progress: () => {}, warning: (m: string) => void logs.push(m) };
    const root = tempDir();
    const auto = await pricesFor('auto', { url: server.url, projectRoot: root, log, ...noSleep }).lookup('eastus', [
      'Standard_NC6s_v3',
    ]);
    expect(auto.source).toMatchObject({ kind: 'snapshot', reason: expect.stringMatching(/HTTP 503/) });
    expect(auto.prices.find((p) => p.tier === 'dedicated')!.hourly).toBeGreaterThan(1);
    expect(logs[0]).toMatch(/using the bundled offline snapshot/);
    const refused = await pricesFor('api', { url: server.url, projectRoot: root, log, ...noSleep })
      .lookup('eastus', ['Standard_NC6s_v3'])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceUnavailableError);
    expect(describeFailure(refused)).toMatchObject({ exitCode: 3, user: true });
    expect(describeFailure(refused).message).toMatch(/the prices API cannot be used: .*safe to run again/s);
  });

  it('an unreachable host fails at once (no retries)', async () => {
    server = await startPricesServer({ items: ITEMS });
    const url = server.url;
    await server.close();
    server = undefined;
    await expect(new RetailPrices({ url, ...noSleep }).lookup('eastus', ['Standard_NC6s_v3'])).rejects.toThrow(
      /cannot be reached \(ECONNREFUSED\)/,
    );
  });

  it("caches the day's answers on disk: a second client asks nothing, a new day asks again", async () => {
    server = await startPricesServer({ items: ITEMS });
    const cacheDir = tempDir();
    const day1 = () => new Date('2026-11-29T10:00:00Z');
    await new RetailPrices({ url: server.url, cacheDir, now: day1 }).lookup('eastus', [
      'Standard_NC6s_v3',
      'Standard_DS3_v2',
    ]);
    const n = server.requests.length;
    expect(n).toBe(2);
    const again = await new RetailPrices({ url: server.url, cacheDir, now: day1 }).lookup('eastus', [
      'Standard_NC6s_v3',
      'Standard_DS3_v2',
    ]);
    expect(server.requests.length).toBe(n);
    expect(again.prices).toHaveLength(4);
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('prices-2026-11-29-'))).toHaveLength(1);
    await new RetailPrices({ url: server.url, cacheDir, now: () => new Date('2026-11-30T10:00:00Z') }).lookup(
      'eastus',
      ['Standard_NC6s_v3'],
    );
    expect(server.requests.length).toBe(n + 1);
    expect(path.basename(cacheDir)).toBeTruthy();
  });
});

describe('meters and headers', () => {
  it.each([
    [{ meterName: 'NC6s v3', skuName: 'NC6s v3' }, 'dedicated'],
    [{ meterName: 'NC6s v3 Spot', skuName: 'NC6s v3 Spot' }, 'spot'],
    [{ meterName: 'NC6s v3 Low Priority', skuName: 'NC6s v3 Low Priority' }, 'low-priority'],
    [{ meterName: 'NC6s v3', skuName: 'NC6s v3 Low Priority' }, 'low-priority'],
  ] as const)('%o is %s', (m, tier) => expect(meterTier(m)).toBe(tier));

  it('Retry-After in seconds or as an HTTP date', () => {
    const now = new Date('2026-11-29T10:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Sun, 29 Nov 2026 10:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});
