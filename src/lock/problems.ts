/**
 * File system problems met while hashing a data folder (walk.ts, hash.ts), told to the user as ConfigurationErrors
 * naming the file when they are the user's to fix, and passed on as they came otherwise.
 */
import { ConfigurationError, errorMessage } from '../core/errors.js';

/** Problems reported at once; beyond that the user gets the gist and a count. */
export const MAX_ERRORS = 20;

/** A file system error on a path, as the user's problem when it is one, else as it came. */
export function pathError(
  shown: string,
  code: string | undefined,
  err: unknown,
  what: 'file' | 'folder' | 'link',
): Error {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new ConfigurationError(
        `cannot read ${what} ${shown}: permission denied; fix its permissions (e.g. chmod ${what === 'folder' ? '-R u+rX' : 'u+r'}) so that tfaml can read it`,
        { file: shown },
      );
    case 'ELOOP':
      return new ConfigurationError(
        `${shown} is a symbolic link loop (too many levels of symbolic links); remove the link`,
        { file: shown },
      );
    case 'ENOENT':
      return new ConfigurationError(
        `${shown} disappeared while the data was being hashed; run again once nothing is writing to the folder`,
        {
          file: shown,
        },
      );
    default: {
      // Not something a user can be told to fix (EIO, EMFILE, ...): keep it an error of its own kind.
      const wrapped = new Error(`cannot read ${shown}: ${errorMessage(err)}`);
      (wrapped as Error & { cause?: unknown }).cause = err;
      return wrapped;
    }
  }
}

/** A problem reading a file's contents (a worker's `[null, code, message]`, or the ESIZE of a file that changed). */
export function readError(shown: string, code: string, message: string): Error {
  if (code === 'ESIZE') {
    return new ConfigurationError(
      `${shown} changed while it was being hashed; run again once nothing is writing to the folder`,
      { file: shown },
    );
  }
  return pathError(shown, code, Object.assign(new Error(message), { code }), 'file');
}

/** One error for many: user errors together (up to MAX_ERRORS, then a count); anything else alone. */
export function combine(errors: Error[], total: number): Error {
  const other = errors.find((e) => !(e instanceof ConfigurationError));
  if (other !== undefined) return other;
  const list = (errors as ConfigurationError[]).slice(0, MAX_ERRORS);
  if (total > list.length) {
    const first = list[0] as ConfigurationError;
    list.push(new ConfigurationError(`... and ${total - list.length} more problems like these`, first.location));
  }
  return ConfigurationError.all(list);
}

export function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
