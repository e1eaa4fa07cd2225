/** A model folder's own files, apart from the record a local registry keeps inside each version it holds. */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const VERSION_FILE = 'tfaml-version.json';

/**
 * Run `fn` on a model folder without the registry record a local registry keeps inside it (VERSION_FILE): a copy
 * of a registered version is identified by its model files alone, so publishing it elsewhere stays idempotent.
 */
export async function withModelFilesOnly<T>(dir: string, fn: (files: string) => Promise<T>): Promise<T> {
  if (!existsSync(path.join(dir, VERSION_FILE))) return fn(dir);
  const clean = mkdtempSync(path.join(os.tmpdir(), 'tfaml-model-files-'));
  try {
    cpSync(dir, clean, { recursive: true, filter: (src) => src !== path.join(dir, VERSION_FILE) });
    return await fn(clean);
  } finally {
    rmSync(clean, { recursive: true, force: true });
  }
}
