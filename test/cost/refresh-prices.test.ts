import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { item, startPricesServer } from '../fakes/prices-server.js';

it('scripts/refresh-prices.mjs rebuilds the snapshot from the API (dry run against the local fake)', async () => {
  const server = await startPricesServer({
    items: [
      item('eastus', 'Standard_NC6s_v3', 3.06),
      item('eastus', 'Standard_NC6s_v3', 0.61, { meterName: 'NC6s v3 Low Priority' }),
      item('eastus', 'Standard_NC6s_v3', 4, { productName: 'Virtual Machines NCSv3 Series Windows' }),
    ],
  });
  try {
    const script = path.resolve(__dirname, '../../scripts/refresh-prices.mjs');
    const child = spawn(process.execPath, [script, '--dry-run'], {
      env: { ...process.env, TFAML_PRICES_URL: server.url },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.prices.eastus).toEqual({ Standard_NC6s_v3: { dedicated: 3.06, lowPriority: 0.61 } });
    expect(doc).toMatchObject({ approximate: false, currency: 'USD', compiled: new Date().toISOString().slice(0, 10) });
  } finally {
    await server.close();
  }
});
