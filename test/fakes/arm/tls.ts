/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made with openssl at test
 * time. The Azure pipeline refuses bearer tokens over http, so every fake that receives a token serves HTTPS; the
 * client trusts the CA through NODE_EXTRA_CA_CERTS (never by turning verification off).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestTls {
  dir: string;
  /** PEM file of the CA, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  cert: string;
  key: string;
}

export function makeTestTls(dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-tls-'))): TestTls {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=tfaml test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ]);
  writeFileSync(
    path.join(dir, 'ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
    '-out',
    'server.pem',
  ]);
  // Child processes run as another user (the unreadable-data tests run as nobody) read NODE_EXTRA_CA_CERTS too:
  // the CA certificate is public, the keys stay private to this user.
  chmodSync(dir, 0o755);
  chmodSync(path.join(dir, 'ca.pem'), 0o644);
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    cert: readFileSync(path.join(dir, 'server.pem'), 'utf8'),
    key: readFileSync(path.join(dir, 'server.key'), 'utf8'),
  };
}

/** The CA and certificate made by test/global-setup.ts for this test run. */
export function testTls(): TestTls {
  const dir = process.env.TFAML_TEST_TLS_DIR;
  if (!dir)
    throw new Error(
      'TFAML_TEST_TLS_DIR is not set: run the tests through vitest (test/global-setup.ts makes the test CA)',
    );
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    cert: readFileSync(path.join(dir, 'server.pem'), 'utf8'),
    key: readFileSync(path.join(dir, 'server.key'), 'utf8'),
  };
}
