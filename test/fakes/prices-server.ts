/**
 * A local Azure Retail Prices API: the response shape of prices.azure.com/api/retail/prices, `$filter` with
 * `field eq 'value'` clauses joined by `and` (case-sensitive, as the real one), `$skip` paging through
 * NextPageLink, `currencyCode`, and the failures a client must survive: 429 with Retry-After, an outage (a 5xx),
 * a server that never answers, and an answer that is not JSON or not a prices page.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RetailItem } from '../../src/adapters/prices/retail.js';

export interface PricesServerOptions {
  items: RetailItem[];
  /** Items per page (the real API uses 100; small here to exercise paging). */
  pageSize?: number;
  /** Answer this many requests with 429 first. */
  throttle?: number;
  retryAfter?: string;
  /** Every request (true) or the first n requests get `outageStatus`. */
  outage?: boolean | number;
  /** Default 503. */
  outageStatus?: number;
  /** Accept every request and never answer (a client must time out). */
  hang?: boolean;
  /** A 200 whose body is cut off mid-JSON, or valid JSON that is not a prices page. */
  malformed?: 'truncated' | 'not-a-page';
}

export interface PricesServer {
  url: string;
  requests: { filter: string | null; skip: number; currency: string | null; status: number }[];
  options: PricesServerOptions;
  close(): Promise<void>;
}

export function item(region: string, sku: string, retailPrice: number, over: Partial<RetailItem> = {}): RetailItem {
  const short = sku.replace(/^Standard_/, '').replace(/_/g, ' ');
  return {
    currencyCode: 'USD',
    retailPrice,
    unitPrice: retailPrice,
    armRegionName: region,
    armSkuName: sku,
    meterName: short,
    productName: `Virtual Machines ${short} Series`,
    skuName: short,
    serviceName: 'Virtual Machines',
    priceType: 'Consumption',
    unitOfMeasure: '1 Hour',
    type: 'Consumption',
    effectiveStartDate: '2024-01-01T00:00:00Z',
    ...over,
  };
}

/** `a eq 'x' and b eq 'y'` → predicate; anything else is a 400, as the real API refuses a bad filter. */
function parseFilter(filter: string): ((it: RetailItem) => boolean) | undefined {
  const clauses = filter.split(/\s+and\s+/);
  const tests: [string, string][] = [];
  for (const c of clauses) {
    const m = c.trim().match(/^(\w+) eq '((?:[^']|'')*)'$/);
    if (!m) return undefined;
    tests.push([m[1]!, m[2]!.replace(/''/g, "'")]);
  }
  return (it) => tests.every(([k, v]) => String((it as unknown as Record<string, unknown>)[k]) === v);
}

export async function startPricesServer(options: PricesServerOptions): Promise<PricesServer> {
  const requests: PricesServer['requests'] = [];
  let throttled = 0;
  let failed = 0;
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const filter = u.searchParams.get('$filter');
    const skip = Number(u.searchParams.get('$skip') ?? 0);
    const rec = { filter, skip, currency: u.searchParams.get('currencyCode'), status: 200 };
    requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (u.pathname !== '/api/retail/prices') return send(404, { Error: 'not found' });
    if (options.hang) return;
    if (options.outage === true || failed < Number(options.outage ?? 0)) {
      failed++;
      return send(options.outageStatus ?? 503, { Error: 'Service Unavailable' });
    }
    if (options.malformed === 'truncated') {
      rec.status = 200;
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"BillingCurrency":"USD","Items":[{"currencyCode":"USD","retailPr');
    }
    if (options.malformed === 'not-a-page') return send(200, { Items: 'maintenance', NextPageLink: null });
    if (throttled < (options.throttle ?? 0)) {
      throttled++;
      return send(429, { Error: 'Too Many Requests' }, { 'retry-after': options.retryAfter ?? '0' });
    }
    const pred = filter === null ? () => true : parseFilter(filter);
    if (!pred) return send(400, { Error: { Code: 'InvalidFilter', Message: `Invalid OData $filter: ${filter}` } });
    const all = options.items.filter(pred).map((it) => ({ ...it, currencyCode: rec.currency ?? 'USD' }));
    const size = options.pageSize ?? 100;
    const page = all.slice(skip, skip + size);
    let next: string | null = null;
    if (skip + size < all.length) {
      const n = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}${u.pathname}${u.search}`);
      n.searchParams.set('$skip', String(skip + size));
      next = n.toString();
    }
    send(200, {
      BillingCurrency: rec.currency ?? 'USD',
      CustomerEntityId: 'Default',
      CustomerEntityType: 'Retail',
      Items: page,
      NextPageLink: next,
      Count: page.length,
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/retail/prices`,
    requests,
    options,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        // A hanging request keeps its connection open; close() alone would wait for it.
        server.closeAllConnections();
      }),
  };
}
