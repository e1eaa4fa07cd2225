/**
 * `tfaml validate` on its own: the verb every pull request runs, built as one CommonJS file (dist/validate.cjs) that
 * the launcher (bin.ts) loads through the compile cache (compile-cache.ts). It holds the driver and validate, and
 * nothing validate loads on demand: a command line that needs more (the Azure workspace checks, the runner services
 * on GitHub) is handed to the full CLI before anything is printed (handoff.ts).
 */
import { command } from '../commands/command.js';
import { validate } from '../commands/validate.js';
import type { Inputs, Output } from '../core/io.js';
import { VALIDATE } from '../verbs/validate.js';
import { writeThroughDescriptors } from '../adapters/local/cli-output.js';
import { runCli } from './driver.js';
import { HandOff } from './handoff.js';

/** What a run came to: its exit code, and whether validate did the whole of its work (the compile cache asks). */
export interface ValidateRun {
  code: number;
  complete: boolean;
}

/** The run, or undefined when the full CLI must run this command line. */
export async function runValidate(argv: string[]): Promise<ValidateRun | undefined> {
  if (argv[0] !== VALIDATE.name) return undefined;
  writeThroughDescriptors();
  let complete = false;
  const run = async (inputs: Inputs, out: Output) => {
    const code = await validate(inputs, out);
    complete = true;
    return code;
  };
  try {
    const code = await runCli({ [VALIDATE.name]: command(VALIDATE, run) }, argv);
    return { code, complete };
  } catch (err) {
    if (err instanceof HandOff) return undefined;
    throw err;
  }
}
