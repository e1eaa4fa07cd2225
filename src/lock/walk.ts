/**
 * The walk of a data folder for its hash (hash.ts): every file under it, in the order of their paths (order.ts),
 * with the stat the stat cache compares.
 *
 * Symbolic links are followed while they stay inside the folder, under the link's name. Anything that cannot be
 * hashed the same way twice is refused with a ConfigurationError naming the file (all of them at once, up to
 * MAX_ERRORS): a link leaving the folder, a link loop, a broken link, a named pipe, socket or device, an
 * unreadable file or folder.
 *
 * The walk is synchronous: per-file async costs more than the stat it wraps, and a warm re-hash of 100k files is
 * nothing but the walk.
 */
import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import { compareUtf8 } from './order.js';
import { MAX_ERRORS, combine, errCode, pathError } from './problems.js';

export interface WalkedFile {
  /**
   * Relative path, forward slashes. The path to read is the folder's path joined with it (through any symbolic links
   * in it); it is not kept per file, which for a 100k-file tree is 100k strings the hash never needs at once.
   */
  rel: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * The files under `root` (an absolute path) in byte order of their relative paths. Throws a ConfigurationError
 * when the folder is missing, not a folder, or holds anything that cannot be hashed; `display` is the
 * project-relative path used in messages.
 */
export function walkFolder(root: string, display: string): WalkedFile[] {
  const rootReal = checkRoot(root, display);
  const walker = new Walker(rootReal, display);
  walker.walkDir(root, '', rootReal, new Set([rootReal]));
  if (walker.errors.length > 0) throw combine(walker.errors, walker.errorCount);
  return walker.files;
}

/** The folder's real path, or a ConfigurationError when it is missing, not a folder or unreadable. */
function checkRoot(root: string, display: string): string {
  let st: Stats;
  try {
    st = statSync(root);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT') {
      throw new ConfigurationError(`the data folder ${display} does not exist; create it or correct the path`, {
        file: display,
      });
    }
    if (code === 'ENOTDIR') {
      throw new ConfigurationError(`${display} is not a folder: a part of the path is a file; correct the path`, {
        file: display,
      });
    }
    throw pathError(display, code, err, 'folder');
  }
  if (!st.isDirectory()) {
    throw new ConfigurationError(`${display} is not a folder; point it at the folder that holds the data`, {
      file: display,
    });
  }
  return realpathSync(root);
}

type Kind = 'file' | 'dir';

interface Item {
  name: string;
  /** Sort key: a folder sorts as `name/`, so that sorting each folder gives byte order of whole paths. */
  key: string;
  kind: Kind;
  /** Real path of a symbolic link's target. */
  real?: string;
}

class Walker {
  readonly files: WalkedFile[] = [];
  readonly errors: ConfigurationError[] = [];
  errorCount = 0;

  constructor(
    private readonly rootReal: string,
    private readonly display: string,
  ) {}

  private shown(rel: string): string {
    return this.display === '.' ? rel : `${this.display}/${rel}`;
  }

  /** Collects a user error, so that all of them are reported at once; anything else ends the walk. */
  private report(error: Error): void {
    if (!(error instanceof ConfigurationError)) throw error;
    this.errorCount++;
    if (this.errors.length < MAX_ERRORS) this.errors.push(error);
  }

  /**
   * Walks one folder in sorted order. `real` is its real path; `stack` holds the real paths of the folders
   * being walked (it and the folders it was reached through), to recognise a link that leads back into them.
   */
  walkDir(abs: string, rel: string, real: string, stack: Set<string>): void {
    let dirents: Dirent[];
    try {
      dirents = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      this.report(pathError(rel === '' ? this.display : this.shown(rel), errCode(err), err, 'folder'));
      return;
    }
    const items: Item[] = [];
    for (const d of dirents) {
      const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isFile()) items.push({ name: d.name, key: d.name, kind: 'file' });
      else if (d.isDirectory()) items.push({ name: d.name, key: `${d.name}/`, kind: 'dir' });
      else if (d.isSymbolicLink()) {
        const item = this.resolveLink(path.join(abs, d.name), childRel, d.name, real, stack);
        if (item !== undefined) items.push(item);
      } else this.report(specialError(this.shown(childRel), d));
    }
    items.sort((a, b) => compareUtf8(a.key, b.key));
    for (const item of items) {
      const childAbs = path.join(abs, item.name);
      const childRel = rel === '' ? item.name : `${rel}/${item.name}`;
      if (item.kind === 'dir') {
        const childReal = item.real ?? path.join(real, item.name);
        stack.add(childReal);
        this.walkDir(childAbs, childRel, childReal, stack);
        stack.delete(childReal);
        continue;
      }
      let st: Stats;
      try {
        st = statSync(childAbs);
      } catch (err) {
        this.report(pathError(this.shown(childRel), errCode(err), err, 'file'));
        continue;
      }
      this.files.push({ rel: childRel, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
    }
  }

  /** Follows a symbolic link that stays inside the folder; anything else is reported. */
  private resolveLink(
    abs: string,
    rel: string,
    name: string,
    parentReal: string,
    stack: Set<string>,
  ): Item | undefined {
    const shown = this.shown(rel);
    let target: string;
    try {
      target = realpathSync(abs);
    } catch (err) {
      const code = errCode(err);
      if (code === 'ENOENT') {
        this.report(
          new ConfigurationError(
            `${shown} is a broken symbolic link (to ${linkText(abs)}, which does not exist); restore its target or remove the link`,
            { file: shown },
          ),
        );
      } else {
        this.report(pathError(shown, code, err, 'link'));
      }
      return undefined;
    }
    if (
      target !== this.rootReal &&
      !target.startsWith(this.rootReal.endsWith(path.sep) ? this.rootReal : this.rootReal + path.sep)
    ) {
      this.report(
        new ConfigurationError(
          `${shown} is a symbolic link to ${linkText(abs)}, which points outside the data folder ${this.display}; ` +
            `copy the file (or folder) into ${this.display} instead of linking to it, or remove the link`,
          { file: shown },
        ),
      );
      return undefined;
    }
    let st: Stats;
    try {
      st = statSync(target);
    } catch (err) {
      this.report(pathError(shown, errCode(err), err, 'link'));
      return undefined;
    }
    if (st.isFile()) return { name, key: name, kind: 'file', real: target };
    if (st.isDirectory()) {
      const intoItself =
        stack.has(target) ||
        parentReal === target ||
        parentReal.startsWith(target.endsWith(path.sep) ? target : target + path.sep);
      if (intoItself) {
        this.report(
          new ConfigurationError(
            `${shown} is a symbolic link loop: it points to ${linkText(abs)}, a folder that contains the link itself; remove the link`,
            { file: shown },
          ),
        );
        return undefined;
      }
      return { name, key: `${name}/`, kind: 'dir', real: target };
    }
    this.report(specialError(shown, st));
    return undefined;
  }
}

function linkText(abs: string): string {
  try {
    return readlinkSync(abs);
  } catch {
    return 'its target';
  }
}

function specialError(
  shown: string,
  d: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean },
): ConfigurationError {
  const what = d.isFIFO()
    ? 'a named pipe (FIFO)'
    : d.isSocket()
      ? 'a socket'
      : d.isBlockDevice() || d.isCharacterDevice()
        ? 'a device file'
        : 'neither a file nor a folder';
  return new ConfigurationError(
    `${shown} is ${what}; a data folder may hold only files, folders and symbolic links to them inside it: move it out of the data folder`,
    { file: shown },
  );
}
