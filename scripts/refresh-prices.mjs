// Refreshes data/prices/azure-vm-snapshot.json from the Azure Retail Prices API: every size and region the current
// snapshot lists (plus any given as --sku / --region), Linux consumption meters only, dedicated / spot / low
// priority. Run it wherever prices.azure.com is reachable; TFAML_PRICES_URL points it elsewhere.
//   node scripts/refresh-prices.mjs [--sku Standard_NC6s_v3]... [--region eastus]... [--dry-run]
/* global fetch */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILE = path.join(ROOT, 'data/prices/azure-vm-snapshot.json');
const API = process.env.TFAML_PRICES_URL || 'https://prices.azure.com/api/retail/prices';

const { values } = parseArgs({
  options: {
    sku: { type: 'string', multiple: true },
    region: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  },
});
const old = JSON.parse(readFileSync(FILE, 'utf8'));
const skus = [...new Set([...Object.values(old.prices).flatMap((r) => Object.keys(r)), ...(values.sku ?? [])])].sort();
const regions = [...new Set([...old.regions, ...(values.region ?? [])])];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function get(url) {
  for (let attempt = 1; attempt <= 6; attempt++) {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (res.ok) return res.json();
    if (res.status !== 429 && res.status < 500) throw new Error(`${res.status} for ${url}`);
    const after = Number(res.headers.get('retry-after')) || 2 ** attempt;
    await sleep(Math.min(after, 60) * 1000);
  }
  throw new Error(`no answer for ${url}`);
}

function tier(it) {
  const t = `${it.meterName} ${it.skuName}`;
  return /\bSpot\b/i.test(t) ? 'spot' : /\bLow Priority\b/i.test(t) ? 'lowPriority' : 'dedicated';
}

const prices = {};
for (const region of regions) {
  prices[region] = {};
  // One query per region and family keeps the filter simple (eq clauses only, case-sensitive).
  for (const sku of skus) {
    const filter = `serviceName eq 'Virtual Machines' and armRegionName eq '${region}' and armSkuName eq '${sku}' and priceType eq 'Consumption'`;
    let next = `${API}?currencyCode=USD&$filter=${encodeURIComponent(filter)}`;
    const entry = {};
    while (next) {
      const page = await get(next);
      for (const it of page.Items ?? []) {
        if (it.type !== 'Consumption' || it.unitOfMeasure !== '1 Hour' || /Windows/i.test(it.productName)) continue;
        const k = tier(it);
        if (entry[k] === undefined || it.retailPrice < entry[k]) entry[k] = it.retailPrice;
      }
      next = page.NextPageLink || undefined;
    }
    if (entry.dedicated !== undefined) prices[region][sku] = entry;
    process.stderr.write(`${region} ${sku}: ${entry.dedicated ?? 'not offered'}\n`);
  }
}

const today = new Date().toISOString().slice(0, 10);
const doc = {
  source: `Azure Retail Prices API (${API}), serviceName eq 'Virtual Machines', priceType eq 'Consumption', Linux meters only (Windows meters dropped), USD retailPrice per hour; read by scripts/refresh-prices.mjs.`,
  compiled: today,
  approximate: false,
  note: `Read from the API on ${today} by scripts/refresh-prices.mjs. Used only when the API cannot be reached; every report that uses it says so. Refresh with \`node scripts/refresh-prices.mjs\`.`,
  currency: 'USD',
  unit: '1 Hour',
  regions,
  prices,
};
if (values['dry-run']) process.stdout.write(JSON.stringify(doc, null, 1) + '\n');
else writeFileSync(FILE, JSON.stringify(doc, null, 1) + '\n');
