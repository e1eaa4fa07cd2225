/** File writes that never leave a reader a half-written file. */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Whether a process of this host with that pid still runs (EPERM: it runs as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove what a killed writer left in `dir`: entries whose name `leftover` matches, its first group being the
 * writer's pid, when that process is gone (SIGKILL runs no cleanup; test/faults/killed-training.test.ts).
 */
export function removeDeadWriters(dir: string, leftover: RegExp): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(leftover.exec(name)?.[1]);
    if (pid && pid !== process.pid && !processAlive(pid))
      rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** `s` matched literally inside a RegExp. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Write a file so that readers see the old content or the new, never a part: temp file in the same folder,
 * fsync, rename. Used for the lockfile and everything else tfaml must not leave half written.
 */
export function writeFileAtomic(file: string, content: string | Buffer): void {
  removeDeadWriters(path.dirname(file), new RegExp(`^\\.${escapeRegExp(path.basename(file))}\\.(\\d+)\\.\\d+\\.tmp$`));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}
