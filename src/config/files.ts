/**
 * Where the project's files are read from: the working tree, or another view of the same tree (the pull request's
 * base ref, read through git). The loaders read only through this, so the same loading and the same errors apply
 * to both. Paths are absolute, under the project root.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';

export interface ProjectFiles {
  /** The file's text. Throws like fs does (an error with `code` ENOENT, EISDIR …) when it cannot be read. */
  readText(abs: string): string;
  exists(abs: string): boolean;
  isDirectory(abs: string): boolean;
}

export const diskFiles: ProjectFiles = {
  readText: (abs) => readFileSync(abs, 'utf8'),
  exists: (abs) => existsSync(abs),
  isDirectory: (abs) => existsSync(abs) && statSync(abs).isDirectory(),
};
