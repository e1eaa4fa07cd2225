/**
 * Runs once in vitest's main process before any worker starts. NODE_EXTRA_CA_CERTS is read only when a node process
 * starts, so the test CA is made here and put into process.env: vitest builds each forked worker's environment from
 * process.env after global setup, so every worker (and every child process a test spawns) trusts the HTTPS fakes
 * the same way users trust a private CA, without any switch that turns verification off.
 */
import { rmSync } from 'node:fs';
import { makeTestTls } from './fakes/arm/tls.js';

export default function setup(): () => void {
  const tls = makeTestTls();
  process.env.TFAML_TEST_TLS_DIR = tls.dir;
  process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
  return () => rmSync(tls.dir, { recursive: true, force: true });
}
