/**
 * The command line over a table of commands: parse the verb and its flags (the flags are the inputs src/verbs
 * declares), print help, run, and turn failures into exit codes. A ConfigurationError (the user's to fix) prints its
 * message and location and exits 2 without a stack trace; anything else is a bug or an outage and keeps its stack.
 * The full CLI (main.ts) runs it over every verb; validate's own bundle (validate-cli.ts) over validate alone.
 */
import { parseArgs } from 'node:util';
import { cliOutput, stderr, stdout } from '../adapters/local/cli-output.js';
import type { Command, CommandTable } from '../commands/command.js';
import type { Inputs } from '../core/io.js';
import { nearest } from '../core/nearest.js';
import { ConfigurationError, ServiceUnavailableError, UsageError } from '../core/errors.js';
import { inertLog } from '../core/inert.js';
import { installRunner } from '../core/runner.js';
import { TFAML_VERSION } from '../core/version.js';
import { HandOff } from './handoff.js';

/** The package's version (src/core/version.ts). */
export const VERSION: string = TFAML_VERSION;

export function findCommand(table: CommandTable, name: string | undefined): Command {
  const names = Object.keys(table);
  if (!name) throw new UsageError(`no command given; use one of ${names.join(', ')}`);
  const cmd = table[name];
  if (!cmd) {
    const near = nearest(name, names);
    throw new UsageError(
      `unknown command ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ''}; use one of ${names.join(', ')}`,
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

function usage(table: CommandTable): string {
  const verbs = Object.entries(table)
    .map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`)
    .join('\n');
  return `usage: tfaml <command> [--config tfaml.yml] [flags]\n\ncommands:\n${verbs}\n\nFlags are the action inputs of the same name, e.g. --format json, --base origin/main; \`tfaml <command> --help\` lists a command's.\nExit codes: 0 success, 1 negative verdict (error findings, gate rejected, over budget), 2 unusable input.\n`;
}

/** `tfaml <verb> --help`: the verb's flags as src/verbs declares them, with their descriptions and CLI defaults. */
export function verbUsage(table: CommandTable, name: string): string {
  const cmd = findCommand(table, name);
  const rows = cmd.inputs.map((n) => {
    const i = cmd.spec.inputs[n]!;
    const value = i.type === 'boolean' ? '' : i.type === 'choice' ? ` ${i.choices!.join('|')}` : ' <value>';
    const dflt = i.type !== 'boolean' && i.default !== undefined && i.default !== '' ? ` (default ${i.default})` : '';
    return [`  --${n}${value}`, `      ${i.description}${dflt}`].join('\n');
  });
  return `usage: tfaml ${name} [flags]\n\n${cmd.summary}\n\nflags:\n${rows.join('\n')}\n  --help\n      Print this and exit.\n`;
}

/** Command line to verb and inputs. Flags are the action's input names, so the two faces cannot drift apart. */
export function parseCommandLine(
  table: CommandTable,
  argv: string[],
): { command: string; inputs: Inputs } | { help: string } {
  const [command, ...rest] = argv;
  if (command === 'help' && rest[0] !== undefined) return { help: verbUsage(table, rest[0]) };
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { help: usage(table) };
  if (command === '--version' || command === 'version') return { help: `${VERSION}\n` };
  const cmd = findCommand(table, command);
  // The flags are the inputs src/verbs declares for the verb; --help is the CLI's own.
  const options = Object.fromEntries(
    cmd.inputs.map((n) => [n, { type: cmd.booleans.includes(n) ? ('boolean' as const) : ('string' as const) }]),
  );
  if (rest.some((a) => a === '--help' || a === '-h')) return { help: verbUsage(table, command) };
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
export async function runCli(table: CommandTable, argv: string[]): Promise<number> {
  const out = cliOutput();
  try {
    // On a runner the CLI masks what it reads in the job log as the action does; elsewhere there is no log to mask.
    if (process.env.GITHUB_ACTIONS === 'true') {
      const { gitHubRunner } = await import('../adapters/github/runner.js');
      installRunner(gitHubRunner());
    }
    const parsed = parseCommandLine(table, argv);
    if ('help' in parsed) {
      stdout.write(parsed.help);
      return 0;
    }
    return await findCommand(table, parsed.command).run(parsed.inputs, out);
  } catch (err) {
    if (err instanceof HandOff) throw err;
    const f = describeFailure(err);
    const text = `${f.user ? 'tfaml: ' : ''}${f.message.replace(/\n/g, f.user ? '\ntfaml: ' : '\n')}\n`;
    stderr.write(inertLog(text));
    return f.exitCode;
  }
}
