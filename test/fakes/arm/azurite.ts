/**
 * Microsoft's storage emulator (npm azurite), started by the tests on 127.0.0.1 on a free port, in a temp folder, stopped
 * by the test that started it. Reached as a datastore through TFAML_BLOB_URL (http is fine here: shared-key and SAS
 * requests carry signatures, not bearer tokens).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const AZURITE_ACCOUNT = 'devstoreaccount1';
/** Azurite's well-known development key (public, documented by Microsoft). */
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  blobUrl: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const location = mkdtempSync(path.join(os.tmpdir(), 'tfaml-azurite-'));
  const main = path.resolve(__dirname, '../../../node_modules/azurite/dist/src/blob/main.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--location',
      location,
      '--disableTelemetry',
      '--disableProductStyleUrl',
      '--loose',
      '--skipApiVersionCheck',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: location },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`azurite did not start in 15 s:\n${out}`)), 15_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = out.match(/listens on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`azurite exited with ${code}:\n${out}`));
    });
  });
  return {
    blobUrl: `${url}/${AZURITE_ACCOUNT}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}

/**
 * An account SAS for Azurite's blob service (what an Azure ML registry's startPendingUpload hands out), signed with
 * the well-known key by hand so the fake needs no Azure SDK: string-to-sign of service version 2020-12-06.
 */
export function accountSas(expiresAt: Date, key = AZURITE_KEY): string {
  const sv = '2020-12-06';
  const se = expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fields = { sp: 'rwdlac', ss: 'b', srt: 'sco', se, spr: 'http,https' };
  const toSign = [AZURITE_ACCOUNT, fields.sp, fields.ss, fields.srt, '', fields.se, '', fields.spr, sv, '', ''].join(
    '\n',
  );
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(toSign, 'utf8').digest('base64');
  return new URLSearchParams({
    sv,
    ss: fields.ss,
    srt: fields.srt,
    sp: fields.sp,
    se,
    spr: fields.spr,
    sig,
  }).toString();
}
