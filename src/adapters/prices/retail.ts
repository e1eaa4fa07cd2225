/**
 * The Azure Retail Prices API (https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices):
 * unauthenticated, paged through NextPageLink, filtered with OData whose string comparisons are case-sensitive
 * (so sizes and regions are sent exactly as armSkuName / armRegionName spell them). Only Linux consumption meters
 * are kept: Windows and other OS meters carry the licence in the price. Answers are cached on disk for the day.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../../core/fs.js';
import type { MissingPrice, PriceSourceInfo, PriceTier, Prices, VmPrice } from '../../core/ports.js';
import { PricesUnavailableError } from '../../core/errors.js';

export const DEFAULT_PRICES_URL = 'https://prices.azure.com/api/retail/prices';

/** One item of the API's answer (the fields we use). */
export interface RetailItem {
  currencyCode: string;
  retailPrice: number;
  unitPrice?: number;
  armRegionName: string;
  armSkuName: string;
  meterName: string;
  productName: string;
  skuName: string;
  serviceName: string;
  priceType: string;
  unitOfMeasure: string;
  type: string;
  effectiveStartDate?: string;
}

interface RetailPage {
  Items?: RetailItem[];
  NextPageLink?: string | null;
}

export interface RetailPricesOptions {
  /** TFAML_PRICES_URL, or the public API. */
  url?: string;
  currency?: string;
  /** Folder for the daily cache (the project's .tfaml/cache); none: no cache. */
  cacheDir?: string;
  /** Attempts per request for 429 and 5xx (default 4). */
  attempts?: number;
  /** The longest Retry-After we wait for, in seconds (default 30); a longer one counts as unavailable. */
  maxRetryAfterSeconds?: number;
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Pages followed per query at most (default 20): a guard against a NextPageLink loop. */
  maxPages?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** Which meter an item is: the API names spot and low-priority meters in meterName and skuName. */
export function meterTier(item: Pick<RetailItem, 'meterName' | 'skuName'>): PriceTier {
  const text = `${item.meterName} ${item.skuName}`;
  if (/\bSpot\b/i.test(text)) return 'spot';
  if (/\bLow Priority\b/i.test(text)) return 'low-priority';
  return 'dedicated';
}

/** Meters that include an operating system or software licence; Azure ML compute runs Linux images without one. */
const OTHER_OS = /Windows|Red Hat|RHEL|SUSE|SLES|Ubuntu Pro|SQL Server/i;

/** Linux, pay-as-you-go, hourly: the meters Azure ML compute is billed on. */
export function usable(item: RetailItem): boolean {
  return (
    item.serviceName === 'Virtual Machines' &&
    item.type === 'Consumption' &&
    item.priceType === 'Consumption' &&
    item.unitOfMeasure === '1 Hour' &&
    !OTHER_OS.test(item.productName) &&
    !OTHER_OS.test(item.meterName) &&
    Number.isFinite(item.retailPrice)
  );
}

/** One price per tier: the newest meter, and of equal dates the cheaper (a size can be listed under two products). */
export function toPrices(items: RetailItem[], currency: string): VmPrice[] {
  const best = new Map<string, RetailItem>();
  for (const it of items.filter(usable)) {
    const key = `${it.armRegionName}|${it.armSkuName}|${meterTier(it)}`;
    const cur = best.get(key);
    const newer = (it.effectiveStartDate ?? '') > (cur?.effectiveStartDate ?? '');
    const same = (it.effectiveStartDate ?? '') === (cur?.effectiveStartDate ?? '');
    if (!cur || newer || (same && it.retailPrice < cur.retailPrice)) best.set(key, it);
  }
  return [...best.values()].map((it) => ({
    region: it.armRegionName,
    sku: it.armSkuName,
    tier: meterTier(it),
    hourly: it.retailPrice,
    currency: it.currencyCode || currency,
    meterName: it.meterName,
  }));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class RetailPrices implements Prices {
  readonly url: string;
  private readonly currency: string;
  private readonly o: Required<
    Pick<RetailPricesOptions, 'attempts' | 'maxRetryAfterSeconds' | 'timeoutMs' | 'maxPages' | 'now' | 'sleep'>
  >;
  private cache?: { file: string; entries: Record<string, RetailItem[]> };

  constructor(private readonly options: RetailPricesOptions = {}) {
    this.url = options.url ?? DEFAULT_PRICES_URL;
    this.currency = options.currency ?? 'USD';
    this.o = {
      attempts: options.attempts ?? 4,
      maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 30,
      timeoutMs: options.timeoutMs ?? 15_000,
      maxPages: options.maxPages ?? 20,
      now: options.now ?? (() => new Date()),
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
  }

  source(): PriceSourceInfo {
    return {
      kind: 'api',
      description: `the Azure Retail Prices API (${this.url})`,
      date: this.o.now().toISOString().slice(0, 10),
    };
  }

  async lookup(
    region: string,
    skus: readonly string[],
  ): Promise<{ prices: VmPrice[]; missing: MissingPrice[]; source: PriceSourceInfo }> {
    const prices: VmPrice[] = [];
    const missing: MissingPrice[] = [];
    for (const sku of new Set(skus)) {
      const found = toPrices(await this.items({ region, sku }), this.currency).filter(
        (p) => p.region === region && p.sku === sku,
      );
      if (found.length > 0) {
        prices.push(...found);
        continue;
      }
      // Tell "no price in this region" from "no such size": the same size in any region.
      const anywhere = toPrices(await this.items({ sku }), this.currency);
      missing.push({ sku, pricedIn: [...new Set(anywhere.map((p) => p.region))].sort() });
    }
    this.saveCache();
    return { prices, missing, source: this.source() };
  }

  /** Every item for the filter, all pages, from the day's cache when it has them. */
  async items(q: { region?: string; sku: string }): Promise<RetailItem[]> {
    const filter = [
      `serviceName eq 'Virtual Machines'`,
      q.region === undefined ? undefined : `armRegionName eq ${quote(q.region)}`,
      `armSkuName eq ${quote(q.sku)}`,
      `priceType eq 'Consumption'`,
    ]
      .filter(Boolean)
      .join(' and ');
    const cache = this.loadCache();
    const cached = cache?.entries[filter];
    if (cached) return cached;
    const u = new URL(this.url);
    u.searchParams.set('currencyCode', this.currency);
    u.searchParams.set('$filter', filter);
    const out: RetailItem[] = [];
    let next: string | undefined = u.toString();
    for (let page = 0; next; page++) {
      if (page >= this.o.maxPages)
        throw new PricesUnavailableError(`the prices API kept paging past ${this.o.maxPages} pages for ${filter}`);
      const body = (await this.get(next)) as RetailPage | null;
      // JSON that is not a page (a maintenance message, a proxy's answer) must not be read as prices.
      if (typeof body !== 'object' || body === null || (body.Items !== undefined && !Array.isArray(body.Items)))
        throw new PricesUnavailableError(`${new URL(next).host} answered with JSON that is not a page of prices`);
      out.push(...(body.Items ?? []));
      next = body.NextPageLink || undefined;
    }
    if (cache) cache.entries[filter] = out;
    return out;
  }

  private async get(url: string): Promise<unknown> {
    let last = '';
    for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
      } catch (e) {
        if ((e as Error).name === 'TimeoutError')
          throw new PricesUnavailableError(`${new URL(url).host} did not answer within ${this.o.timeoutMs / 1000} s`);
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        // Name resolution and refused connections will not heal in seconds: give up at once.
        throw new PricesUnavailableError(
          `${new URL(url).host} cannot be reached (${cause?.code ?? cause?.message ?? (e as Error).message})`,
        );
      }
      if (res.ok) {
        try {
          return await res.json();
        } catch (e) {
          if ((e as Error).name === 'TimeoutError')
            throw new PricesUnavailableError(
              `${new URL(url).host} did not finish answering within ${this.o.timeoutMs / 1000} s`,
            );
          throw new PricesUnavailableError(`${new URL(url).host} answered with something that is not JSON`);
        }
      }
      await res.body?.cancel();
      last = `HTTP ${res.status}`;
      if (res.status !== 429 && res.status < 500)
        throw new PricesUnavailableError(`${new URL(url).host} refused the query (${last})`);
      if (attempt === this.o.attempts) break;
      const after = retryAfterSeconds(res.headers.get('retry-after'), this.o.now());
      if (after !== undefined && after > this.o.maxRetryAfterSeconds) {
        throw new PricesUnavailableError(
          `${new URL(url).host} asked to retry after ${after} s (${last}), longer than the ${this.o.maxRetryAfterSeconds} s we wait`,
        );
      }
      await this.o.sleep(1000 * (after ?? 2 ** (attempt - 1)));
    }
    throw new PricesUnavailableError(`${new URL(url).host} did not answer after ${this.o.attempts} attempts (${last})`);
  }

  private loadCache() {
    if (!this.options.cacheDir) return undefined;
    if (this.cache) return this.cache;
    const day = this.o.now().toISOString().slice(0, 10);
    const key = createHash('sha256').update(`${this.url}|${this.currency}`).digest('hex').slice(0, 16);
    const file = path.join(this.options.cacheDir, `prices-${day}-${key}.json`);
    let entries: Record<string, RetailItem[]> = {};
    if (existsSync(file)) {
      try {
        entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, RetailItem[]>;
      } catch {
        entries = {}; // a damaged cache is only a cache
      }
    }
    this.cache = { file, entries };
    return this.cache;
  }

  private saveCache() {
    if (!this.cache) return;
    mkdirSync(path.dirname(this.cache.file), { recursive: true });
    writeFileAtomic(this.cache.file, JSON.stringify(this.cache.entries));
  }
}

/** Retry-After as seconds: delta-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now: Date): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - now.getTime()) / 1000));
}
