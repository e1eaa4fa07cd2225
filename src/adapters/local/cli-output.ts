/** The CLI's Output: the report on stdout, logs and progress on stderr; annotations and summaries are the action's. */
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
      stdout.write(text);
    },
    annotate: () => {},
    summary: async () => {},
    setOutput: () => {},
    mask: () => {},
    log: {
      info: (m) => {
        clear();
        stderr.write(`${m}\n`);
      },
      warning: (m) => {
        clear();
        stderr.write(`warning: ${m}\n`);
      },
      progress: (m) => {
        if (stderr.isTTY) {
          stderr.write(`\r\u001b[2K${m}`);
          progressShown = true;
        } else stderr.write(`${m}\n`);
      },
    },
  };
}
