/** Exit codes that tell a workflow what to do: 2 change the input, 3 re-run as is, 4 report a bug. */
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError, PricesUnavailableError, ServiceUnavailableError } from '../../src/core/errors.js';
import { describeFailure, runCli } from '../../src/entries/main.js';

describe('describeFailure', () => {
  it.each([
    [
      new ConfigurationError('tfaml.yml: bad', { file: 'tfaml.yml', line: 3 }),
      2,
      true,
      /^tfaml\.yml:3: tfaml\.yml: bad$/,
    ],
    [
      new ServiceUnavailableError('Azure answered 503 after retries'),
      3,
      true,
      /503 after retries\nNothing was changed.*safe to run again/,
    ],
    [new PricesUnavailableError('prices.azure.com did not answer'), 3, true, /did not answer/],
    [
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      4,
      false,
      /this is a bug in tfaml, please report it.*\n.*TypeError/s,
    ],
  ])('%s → exit %i', (err, code, user, message) => {
    const f = describeFailure(err);
    expect(f.exitCode).toBe(code);
    expect(f.user).toBe(user);
    expect(f.message).toMatch(message);
    if (user) expect(f.message).not.toMatch(/\n\s+at /);
    else expect(f.message).toMatch(/\n\s+at /);
  });

  it('the CLI prints a service outage without a stack and exits 3', async () => {
    const err: string[] = [];
    const spy = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((s) => void err.push(String(s)) as unknown as boolean);
    vi.stubEnv('TFAML_PRICES_URL', 'http://127.0.0.1:9/api/retail/prices'); // discard port: refused at once
    try {
      const code = await runCli(['cost', '--config', 'examples/tfaml.yml', '--prices', 'api']);
      expect(code).toBe(3);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(err.join('')).toMatch(/^tfaml: the prices API cannot be used/);
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });
});
