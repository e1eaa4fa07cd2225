/**
 * What the CI runner offers every layer: hiding a secret in its log, and its OIDC ID token. The entry point installs
 * the real ones (GitHub's, from src/adapters/github/runner.ts) when tfaml runs on a runner; elsewhere there is no log
 * to mask and no ID token. Adapters call these the moment they read a credential (habit 5 in docs/architecture.md).
 */
export interface RunnerServices {
  /** Hide `secret` in the job log from now on. */
  mask(secret: string): void;
  /** An OIDC ID token for `audience`, when the workflow grants `id-token: write`; undefined: none can be had here. */
  idToken?: (audience: string) => Promise<string>;
}

let services: RunnerServices = { mask: () => {} };

/** Called once by the entry point (src/entries/main.ts). */
export function installRunner(s: RunnerServices): void {
  services = s;
}

/** Hide a secret in the job log; empty and undefined values are ignored. */
export function maskSecret(secret: string | undefined): void {
  if (secret) services.mask(secret);
}

export function runnerIdToken(): ((audience: string) => Promise<string>) | undefined {
  return services.idToken;
}
