/**
 * `tfaml validate` on its own: the verb every pull request runs, built as one CommonJS file (dist/validate.cjs) that
 * the launcher (bin.ts) loads through the compile cache (compile-cache.ts). It holds the driver and validate, and
 * nothing validate loads on demand: a command line that needs more (the Azure workspace checks, the runner services
 * on GitHub) is handed to the full CLI before anything is printed (handoff.ts).
 */
import { command } from '../commands/command.js';
import { validate } from '../commands/validate.js';
import { VALIDATE } from '../verbs/validate.js';
import { runCli } from './driver.js';
import { HandOff } from './handoff.js';

/** The exit code, or undefined when the full CLI must run this command line. */
export async function runValidate(argv: string[]): Promise<number | undefined> {
  if (argv[0] !== VALIDATE.name) return undefined;
  try {
    return await runCli({ [VALIDATE.name]: command(VALIDATE, validate) }, argv);
  } catch (err) {
    if (err instanceof HandOff) return undefined;
    throw err;
  }
}
