/**
 * The composition root shared by the CLI and the action: every verb (src/commands/index.ts) over the command-line
 * driver (driver.ts), and the action's entry, which reads the verb from the `command` input and reports through the
 * runner's annotations.
 */
import path from 'node:path';
import { COMMANDS } from '../commands/index.js';
import type { Command } from '../commands/command.js';
import type { Inputs } from '../core/io.js';
import { ConfigurationError, UsageError } from '../core/errors.js';
import { redactSecrets } from '../core/inert.js';
import { installRunner } from '../core/runner.js';
import * as driver from './driver.js';

/** A failure as an exit code and what to print (driver.ts). */
export const { describeFailure } = driver;

export const findCommand = (name: string | undefined): Command => driver.findCommand(COMMANDS, name);

/** `tfaml <verb> --help`: the verb's flags as src/verbs declares them, with their descriptions and CLI defaults. */
export const verbUsage = (name: string): string => driver.verbUsage(COMMANDS, name);

/** Command line to verb and inputs. */
export const parseCommandLine = (argv: string[]): { command: string; inputs: Inputs } | { help: string } =>
  driver.parseCommandLine(COMMANDS, argv);

/** The CLI over every verb: returns the exit code. */
export const runCli = (argv: string[]): Promise<number> => driver.runCli(COMMANDS, argv);

/** The action: the `command` input picks the verb. Returns the exit code. */
export async function runAction(): Promise<number> {
  // Loaded here, not at the top: the CLI never pays for @actions/core.
  const { actionInputs, actionOutput, core } = await import('../adapters/github/action-output.js');
  const { gitHubRunner } = await import('../adapters/github/runner.js');
  installRunner(gitHubRunner());
  const inputs = actionInputs();
  try {
    const command = findCommand(inputs.get('command'));
    const event = process.env.GITHUB_EVENT_NAME;
    if (event && command.events && !command.events.includes(event)) {
      throw new UsageError(
        `${inputs.get('command')} does not run on ${event} events; it supports ${command.events.join(', ')}. Run it from a workflow triggered by one of those`,
      );
    }
    const code = await command.run(inputs, actionOutput());
    if (code === 1) core.setFailed('tfaml: the verdict is negative; see the annotations and the job summary');
    return code;
  } catch (err) {
    const f = describeFailure(err);
    if (err instanceof ConfigurationError) {
      const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
      const all = [err, ...err.more];
      const located = all.filter((e) => e.location);
      for (const e of located) {
        const loc = e.location!;
        const file = loc.abs ? path.relative(workspace, loc.abs).split(path.sep).join('/') : loc.file;
        const props = { title: 'tfaml: unusable input', file, startLine: loc.line, startColumn: loc.column };
        core.error(redactSecrets(e.message), props);
      }
      const rest = all.filter((e) => !e.location).map((e) => e.message);
      const n = located.length;
      core.setFailed(
        redactSecrets(
          [
            ...rest,
            ...(n ? [`tfaml: the input cannot be used (${n} problem${n === 1 ? '' : 's'} annotated above)`] : []),
          ].join('\n'),
        ),
      );
    } else {
      core.setFailed(redactSecrets(f.message));
    }
    return f.exitCode;
  }
}
