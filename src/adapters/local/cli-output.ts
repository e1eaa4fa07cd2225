/**
 * The CLI's Output: the report on stdout, logs and progress on stderr; annotations and summaries are the action's.
 * The CLI may run inside a workflow step, so everything it writes is made inert first (src/core/inert.ts).
 */
import { fstatSync, writeSync } from 'node:fs';
import { tty } from '../../core/builtins.js';
import { inertLog } from '../../core/inert.js';
import type { Output } from '../../core/io.js';

/** Where the CLI writes: a standard stream, or in tests any stream. */
export interface Terminal {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

let throughDescriptors = false;

/**
 * From now on write the standard streams through their file descriptors when they are files, pipes or sockets
 * (validate's own bundle does, src/entries/validate-cli.ts). The first use of process.stdout or process.stderr
 * builds a stream object (for a pipe a net.Socket, with the modules it needs), a few ms of validate's start-up
 * each, and Node writes to files and pipes synchronously anyway. Elsewhere, as in tests that watch
 * process.stderr.write, the process streams are used.
 */
export function writeThroughDescriptors(): void {
  throughDescriptors = true;
}

/**
 * A standard stream: its file descriptor once writeThroughDescriptors was called and it is a file, a pipe or a
 * socket, else the process stream. A terminal always goes through the process stream, and so does the rest of the
 * output once a write would block (EAGAIN). A reader that has gone away (EPIPE: `tfaml validate | head -1`) ends
 * the output quietly.
 */
export function standardStream(fd: 1 | 2): Terminal {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  const stat = () => {
    try {
      return fstatSync(fd);
    } catch {
      return undefined;
    }
  };
  let direct: boolean | undefined;
  let closed = false;
  let terminal: boolean | undefined;
  return {
    write(text: string) {
      if (closed) return;
      direct ??=
        throughDescriptors && ((st) => st !== undefined && (st.isFile() || st.isFIFO() || st.isSocket()))(stat());
      if (!direct) return stream().write(text);
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      try {
        while (written < bytes.length) written += writeSync(fd, bytes, written);
      } catch (err) {
        direct = false;
        if ((err as { code?: unknown }).code === 'EPIPE') closed = true;
        else stream().write(bytes.subarray(written));
      }
    },
    get isTTY() {
      if (!throughDescriptors) return stream().isTTY;
      terminal ??= ((st) => st !== undefined && st.isCharacterDevice() && tty().isatty(fd))(stat());
      return terminal;
    },
  };
}

export const stdout = standardStream(1);
export const stderr = standardStream(2);

export function cliOutput(out: Terminal = stdout, err: Terminal = stderr): Output {
  let progressShown = false;
  const clear = () => {
    if (progressShown) {
      err.write('\r\u001b[2K');
      progressShown = false;
    }
  };
  return {
    mode: 'cli',
    get color() {
      return out.isTTY === true && !process.env.NO_COLOR;
    },
    print: (text) => {
      clear();
      out.write(inertLog(text));
    },
    annotate: () => {},
    summary: async () => {},
    setOutput: () => {},
    mask: () => {},
    log: {
      info: (m) => {
        clear();
        err.write(`${inertLog(m)}\n`);
      },
      warning: (m) => {
        clear();
        err.write(`warning: ${inertLog(m)}\n`);
      },
      progress: (m) => {
        if (err.isTTY) {
          err.write(`\r\u001b[2K${inertLog(m)}`);
          progressShown = true;
        } else err.write(`${inertLog(m)}\n`);
      },
    },
  };
}
