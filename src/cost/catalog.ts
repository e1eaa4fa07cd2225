/**
 * The offline price catalog: a dated snapshot of the GPU sizes teams train on (NC, ND, NV) and a few CPU sizes
 * used for endpoints, in the main regions. It is the fallback when the Retail Prices API cannot be reached, and the
 * list of sizes we know, for suggesting the nearest one when a size is misspelt.
 */
import { distance } from 'fastest-levenshtein';
import snapshot from '../../data/prices/azure-vm-snapshot.json' with { type: 'json' };
import type { MissingPrice, PriceSourceInfo, PriceTier, VmPrice } from '../core/ports.js';

/** Currencies we price in. Budgets are written in USD (`budget-usd`), so other currencies would need a rate. */
export const SUPPORTED_CURRENCIES = ['USD'] as const;

export const SNAPSHOT_FILE = 'data/prices/azure-vm-snapshot.json';

type SnapshotEntry = { dedicated: number; spot?: number; lowPriority?: number };
const PRICES = snapshot.prices as Record<string, Record<string, SnapshotEntry>>;

export function snapshotInfo(reason: string): PriceSourceInfo {
  return {
    kind: 'snapshot',
    description: `the offline price snapshot ${SNAPSHOT_FILE} (${snapshot.source})`,
    date: snapshot.compiled,
    reason,
    approximate: snapshot.approximate,
  };
}

/** Every size the snapshot prices, in any region. */
export function knownSkus(): string[] {
  const all = new Set<string>();
  for (const r of Object.values(PRICES)) for (const s of Object.keys(r)) all.add(s);
  return [...all].sort();
}

/**
 * A VM size as the price list spells it. Azure treats sizes case-insensitively (ARM answers STANDARD_NC6S_V3 for
 * what a YAML file writes Standard_NC6s_v3), but the Retail Prices API filter is case-sensitive: known sizes are
 * mapped to their armSkuName spelling, unknown ones are kept as written (and reported as unknown later).
 */
export function canonicalSku(sku: string, known: readonly string[] = knownSkus()): string {
  const w = sku.trim().toLowerCase();
  return known.find((k) => k.toLowerCase() === w) ?? sku.trim();
}

/**
 * Azure's public regions as armRegionName spells them (az account list-locations, 2026): a region in this list that
 * has no price is a real region without that size, not a typo to correct.
 */
export const AZURE_REGIONS: readonly string[] = [
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'westus3',
  'centralus',
  'northcentralus',
  'southcentralus',
  'westcentralus',
  'canadacentral',
  'canadaeast',
  'brazilsouth',
  'brazilsoutheast',
  'mexicocentral',
  'chilecentral',
  'northeurope',
  'westeurope',
  'uksouth',
  'ukwest',
  'francecentral',
  'francesouth',
  'germanywestcentral',
  'germanynorth',
  'switzerlandnorth',
  'switzerlandwest',
  'norwayeast',
  'norwaywest',
  'swedencentral',
  'swedensouth',
  'polandcentral',
  'italynorth',
  'spaincentral',
  'austriaeast',
  'belgiumcentral',
  'denmarkeast',
  'eastasia',
  'southeastasia',
  'japaneast',
  'japanwest',
  'koreacentral',
  'koreasouth',
  'centralindia',
  'southindia',
  'westindia',
  'jioindiawest',
  'jioindiacentral',
  'indonesiacentral',
  'malaysiawest',
  'newzealandnorth',
  'australiaeast',
  'australiasoutheast',
  'australiacentral',
  'australiacentral2',
  'uaenorth',
  'uaecentral',
  'qatarcentral',
  'israelcentral',
  'southafricanorth',
  'southafricawest',
];

/** The regions the snapshot covers (all real armRegionName values). */
export function knownRegions(): string[] {
  return [...snapshot.regions];
}

/** The regions the snapshot has a price for `sku` in. */
export function snapshotRegions(sku: string): string[] {
  return Object.entries(PRICES)
    .filter(([, r]) => r[sku] !== undefined)
    .map(([region]) => region);
}

/** Up to `n` known sizes closest to `sku` (case-insensitive edit distance), nearest first. */
export function suggestSkus(sku: string, n = 3, known: readonly string[] = knownSkus()): string[] {
  const w = sku.toLowerCase();
  return [...known]
    .map((k) => ({ k, d: distance(w, k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, n)
    .map((x) => x.k);
}

const TIERS: [keyof SnapshotEntry, PriceTier][] = [
  ['dedicated', 'dedicated'],
  ['spot', 'spot'],
  ['lowPriority', 'low-priority'],
];

/** Snapshot prices for sizes in a region, in the shape the API client returns. */
export function snapshotLookup(
  region: string,
  skus: readonly string[],
  reason: string,
): { prices: VmPrice[]; missing: MissingPrice[]; source: PriceSourceInfo } {
  const prices: VmPrice[] = [];
  const missing: MissingPrice[] = [];
  for (const sku of new Set(skus)) {
    const e = PRICES[region]?.[sku];
    if (!e) {
      missing.push({ sku, pricedIn: snapshotRegions(sku) });
      continue;
    }
    for (const [key, tier] of TIERS) {
      const hourly = e[key];
      if (hourly !== undefined)
        prices.push({ region, sku, tier, hourly, currency: snapshot.currency, meterName: `snapshot ${tier}` });
    }
  }
  return { prices, missing, source: snapshotInfo(reason) };
}
