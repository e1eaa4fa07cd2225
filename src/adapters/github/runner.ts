/** The GitHub Actions runner's services for src/core/runner.ts: ::add-mask:: and the OIDC ID token. */
import { getIDToken, setSecret } from '@actions/core';
import type { RunnerServices } from '../../core/runner.js';

export function gitHubRunner(env: NodeJS.ProcessEnv = process.env): RunnerServices {
  return {
    mask: (secret) => setSecret(secret),
    idToken: env.ACTIONS_ID_TOKEN_REQUEST_URL ? (audience) => getIDToken(audience) : undefined,
  };
}
