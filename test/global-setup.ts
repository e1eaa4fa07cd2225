/**
 * Runs once in vitest's main process before any worker starts. NODE_EXTRA_CA_CERTS is read only when a node process
 * starts, so the test CA is made here and put into process.env: vitest builds each forked worker's environment from
 * process.env after global setup, so every worker (and every child process a test spawns) trusts the HTTPS fakes
 * the same way users trust a private CA, without any switch that turns verification off.
 */
import { rmSync } from 'node:fs';
import { makeTestTls } from './fakes/arm/tls.js';

/**
 * What a CI runner sets that changes tfaml's behaviour (where caches live, masking, which registry is allowed, the
 * event a verb runs on): the suite starts from none of it, so it passes the same on a laptop, in .ci/run and on a
 * GitHub-hosted runner. Tests that need one set it themselves.
 */
const RUNNER_VARIABLES = [
  'GITHUB_ACTIONS',
  'RUNNER_ENVIRONMENT',
  'RUNNER_TEMP',
  'RUNNER_TOOL_CACHE',
  'GITHUB_EVENT_NAME',
  'GITHUB_EVENT_PATH',
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_REF',
  'GITHUB_SHA',
  'GITHUB_WORKSPACE',
  'GITHUB_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'TFAML_WORKSPACE_CHECKS',
  'TFAML_CACHE_DIR',
  'TFAML_HUB_URL',
  'TFAML_PRICES_URL',
];

export default function setup(): () => void {
  for (const v of RUNNER_VARIABLES) delete process.env[v];
  const tls = makeTestTls();
  process.env.TFAML_TEST_TLS_DIR = tls.dir;
  process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
  return () => rmSync(tls.dir, { recursive: true, force: true });
}
