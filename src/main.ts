/**
 * The composition root shared by the CLI and the action: find the verb, build its real dependencies, run it, and
 * turn failures into exit codes. A ConfigurationError (the user's to fix) prints its message and location and
 * exits 2 without a stack trace; anything else is a bug or an outage and keeps its stack for the report.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliOutput } from './adapters/local/cli-output.js';
import { COMMANDS, COMMAND_NAMES, type Command } from './commands/index.js';
import type { Inputs } from './core/io.js';
import { nearest } from './core/nearest.js';
import { ConfigurationError, ServiceUnavailableError, UsageError } from './core/errors.js';
import { inertLog, redactSecrets } from './core/inert.js';
import { installRunner } from './core/runner.js';
import { TFAML_VERSION } from './core/version.js';

/** The package's version (src/core/version.ts). */
export const VERSION: string = TFAML_VERSION;

export function findCommand(name: string | undefined): Command {
  if (!name) throw new UsageError(`no command given; use one of ${COMMAND_NAMES.join(', ')}`);
  const cmd = COMMANDS[name];
  if (!cmd) {
    const near = nearest(name, COMMAND_NAMES);
    throw new UsageError(
      `unknown command ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ''}; use one of ${COMMAND_NAMES.join(', ')}`,
    );
  }
  return cmd;
}

export interface Failure {
  exitCode: number;
  message: string;
  /** True for user errors: the message is the whole story, no stack. */
  user: boolean;
}

export function describeFailure(err: unknown): Failure {
  if (err instanceof ConfigurationError) return { exitCode: 2, message: err.describe(), user: true };
  if (err instanceof ServiceUnavailableError)
    return {
      exitCode: 3,
      message: `${err.message}\nNothing was changed by this failure; it is safe to run again as is.`,
      user: true,
    };
  const e = err as Error;
  return {
    exitCode: 4,
    message: `tfaml failed unexpectedly; this is a bug in tfaml, please report it with this log:\n${e?.stack ?? String(err)}`,
    user: false,
  };
}

function usage(): string {
  const verbs = COMMAND_NAMES.map((n) => `  ${n.padEnd(10)} ${COMMANDS[n]!.summary}`).join('\n');
  return `usage: tfaml <command> [--config tfaml.yml] [flags]\n\ncommands:\n${verbs}\n\nFlags are the action inputs of the same name, e.g. --format json, --base origin/main; \`tfaml <command> --help\` lists a command's.\nExit codes: 0 success, 1 negative verdict (error findings, gate rejected, over budget), 2 unusable input.\n`;
}

/** `tfaml <verb> --help`: the verb's flags as src/verbs declares them, with their descriptions and CLI defaults. */
export function verbUsage(name: string): string {
  const cmd = findCommand(name);
  const rows = cmd.inputs.map((n) => {
    const i = cmd.spec.inputs[n]!;
    const value = i.type === 'boolean' ? '' : i.type === 'choice' ? ` ${i.choices!.join('|')}` : ' <value>';
    const dflt = i.type !== 'boolean' && i.default !== undefined && i.default !== '' ? ` (default ${i.default})` : '';
    return [`  --${n}${value}`, `      ${i.description}${dflt}`].join('\n');
  });
  return `usage: tfaml ${name} [flags]\n\n${cmd.summary}\n\nflags:\n${rows.join('\n')}\n  --help\n      Print this and exit.\n`;
}

/** Command line to verb and inputs. Flags are the action's input names, so the two faces cannot drift apart. */
export function parseCommandLine(argv: string[]): { command: string; inputs: Inputs } | { help: string } {
  const [command, ...rest] = argv;
  if (command === 'help' && rest[0] !== undefined) return { help: verbUsage(rest[0]) };
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { help: usage() };
  if (command === '--version' || command === 'version') return { help: `${VERSION}\n` };
  const cmd = findCommand(command);
  // The flags are the inputs src/verbs declares for the verb; --help is the CLI's own.
  const options = Object.fromEntries(
    cmd.inputs.map((n) => [n, { type: cmd.booleans.includes(n) ? ('boolean' as const) : ('string' as const) }]),
  );
  if (rest.some((a) => a === '--help' || a === '-h')) return { help: verbUsage(command) };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0] ?? '';
    const flag = msg.match(/'(--?[^' ,]+)/)?.[1]?.replace(/^-+/, '');
    const near = flag ? nearest(flag, cmd.inputs) : undefined;
    throw new UsageError(
      `${command}: ${msg.replace(/\. To specify.*$/, '')}${near ? ` (did you mean --${near}?)` : ''}; its flags are ${cmd.inputs.map((i) => `--${i}`).join(', ')}`,
    );
  }
  return {
    command,
    inputs: {
      get(name) {
        const v = values[name];
        if (v === undefined || v === '') return undefined;
        return typeof v === 'boolean' ? String(v) : v;
      },
    },
  };
}

/** The CLI: returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const out = cliOutput();
  try {
    // On a runner the CLI masks what it reads in the job log as the action does; elsewhere there is no log to mask.
    if (process.env.GITHUB_ACTIONS === 'true') {
      const { gitHubRunner } = await import('./adapters/github/runner.js');
      installRunner(gitHubRunner());
    }
    const parsed = parseCommandLine(argv);
    if ('help' in parsed) {
      process.stdout.write(parsed.help);
      return 0;
    }
    return await findCommand(parsed.command).run(parsed.inputs, out);
  } catch (err) {
    const f = describeFailure(err);
    const text = `${f.user ? 'tfaml: ' : ''}${f.message.replace(/\n/g, f.user ? '\ntfaml: ' : '\n')}\n`;
    process.stderr.write(inertLog(text));
    return f.exitCode;
  }
}

/** The action: the `command` input picks the verb. Returns the exit code. */
export async function runAction(): Promise<number> {
  // Loaded here, not at the top: the CLI never pays for @actions/core.
  const { actionInputs, actionOutput, core } = await import('./adapters/github/action-output.js');
  const { gitHubRunner } = await import('./adapters/github/runner.js');
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
