/**
 * Prices as the cost command gets them: the API when it answers, else the bundled snapshot, and the report says
 * which. `snapshot` skips the API (offline runs, the demo); `api` refuses to fall back (exit 2 when unreachable).
 */
import { projectCacheDir } from '../../core/cache.js';
import { snapshotLookup } from '../../cost/catalog.js';
import type { Log, Prices } from '../../core/ports.js';
import { RetailPrices, type RetailPricesOptions } from './retail.js';
import { PricesUnavailableError, ServiceUnavailableError } from '../../core/errors.js';

export type PriceMode = 'auto' | 'api' | 'snapshot';

export function pricesFor(mode: PriceMode, opts: RetailPricesOptions & { projectRoot: string; log: Log }): Prices {
  const api = new RetailPrices({
    cacheDir: projectCacheDir(opts.projectRoot),
    ...opts,
    url: opts.url ?? process.env.TFAML_PRICES_URL ?? undefined,
  });
  return {
    async lookup(region, skus) {
      if (mode === 'snapshot') return snapshotLookup(region, skus, 'it was asked for (prices: snapshot)');
      try {
        return await api.lookup(region, skus);
      } catch (e) {
        if (!(e instanceof PricesUnavailableError)) throw e;
        if (mode === 'api')
          throw new ServiceUnavailableError(
            `the prices API cannot be used: ${e.message}; check TFAML_PRICES_URL and the network, or run with prices: auto to fall back to the bundled snapshot`,
          );
        opts.log.warning(`prices: ${e.message}; using the bundled offline snapshot instead`);
        return snapshotLookup(region, skus, `the prices API could not be used: ${e.message}`);
      }
    },
  };
}
