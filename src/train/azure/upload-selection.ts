/**
 * Which files of a local folder go to Azure, as the Azure ML CLI decides it: never `.git`, and not what the folder's
 * `.amlignore` (else its `.gitignore`) excludes, in gitignore syntax. A job's code folder often sits in a
 * repository; uploading its history or its ignored secrets and caches to a shared datastore is never wanted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';

/** A folder-relative path (forward slashes; folders end with `/`) → whether it is uploaded. */
export type UploadFilter = (rel: string) => boolean;

export function uploadFilter(folder: string): { include: UploadFilter; rulesFrom?: string } {
  const ig = ignore().add('.git/');
  let rulesFrom: string | undefined;
  for (const name of ['.amlignore', '.gitignore']) {
    try {
      ig.add(readFileSync(path.join(folder, name), 'utf8'));
      rulesFrom = name;
      break;
    } catch {
      // no such file: try the next, as the CLI does
    }
  }
  return { include: (rel) => !ig.ignores(rel), rulesFrom };
}
