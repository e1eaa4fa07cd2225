/**
 * The CLI's Output: the report on stdout, logs and progress on stderr; annotations and summaries are the action's.
 * The CLI may run inside a workflow step, so everything it writes is made inert first (src/core/inert.ts).
 */
import { inertLog } from '../../core/inert.js';
import type { Output } from '../../core/io.js';

export function cliOutput(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  let progressShown = false;
  const clear = () => {
    if (progressShown) {
      stderr.write('\r\u001b[2K');
      progressShown = false;
    }
  };
  return {
    mode: 'cli',
    print: (text) => {
      clear();
      stdout.write(inertLog(text));
    },
    annotate: () => {},
    summary: async () => {},
    setOutput: () => {},
    mask: () => {},
    log: {
      info: (m) => {
        clear();
        stderr.write(`${inertLog(m)}\n`);
      },
      warning: (m) => {
        clear();
        stderr.write(`warning: ${inertLog(m)}\n`);
      },
      progress: (m) => {
        if (stderr.isTTY) {
          stderr.write(`\r\u001b[2K${inertLog(m)}`);
          progressShown = true;
        } else stderr.write(`${inertLog(m)}\n`);
      },
    },
  };
}
