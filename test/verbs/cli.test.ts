/** The CLI's flags and --help come from src/verbs: `tfaml <verb> --help` prints the verb's declaration. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../src/commands/index.js';
import { UsageError } from '../../src/core/errors.js';
import { parseCommandLine, runCli, verbUsage } from '../../src/entries/main.js';
import { VERBS, commandInputs } from '../../src/verbs/index.js';

const help = (argv: string[]): string => {
  const r = parseCommandLine(argv);
  if (!('help' in r)) throw new Error(`${argv.join(' ')} parsed as a command, not help`);
  return r.help;
};

afterEach(() => vi.restoreAllMocks());

describe('tfaml --help', () => {
  it('lists every verb with its summary, and how to get a verb’s flags', () => {
    const text = help(['--help']);
    for (const v of VERBS) expect(text).toContain(`  ${v.name.padEnd(10)} ${v.summary}\n`);
    expect(text).toContain('`tfaml <command> --help`');
    expect(help([])).toBe(text);
    expect(help(['help'])).toBe(text);
    expect(help(['-h'])).toBe(text);
  });
});

describe('tfaml <verb> --help', () => {
  it.each(VERBS.map((v) => v.name))('%s: every flag with its description and CLI default', (name) => {
    const verb = VERBS.find((v) => v.name === name)!;
    const text = help([name, '--help']);
    expect(text.startsWith(`usage: tfaml ${name} [flags]\n\n${verb.summary}\n`)).toBe(true);
    const flags = [...text.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    expect(flags).toEqual([...commandInputs(verb), 'help']);
    for (const n of commandInputs(verb)) expect(text).toContain(verb.inputs[n]!.description);
    expect(help([name, '-h'])).toBe(text);
    expect(help(['help', name])).toBe(text);
  });

  it('shows values, choices and defaults as the spec declares them; action-only inputs are no flags', () => {
    const text = verbUsage('train');
    expect(text).toContain(
      '  --config <value>\n      Path of tfaml.yml; every path inside it resolves against its folder. (default tfaml.yml)\n',
    );
    expect(text).toContain('  --format text|json\n');
    expect(text).toContain('  --backend auto|tensorflow-gpu|tensorflow|wasm|cpu\n');
    expect(text).toContain('  --resume\n      Continue from the last checkpoint');
    expect(text).not.toContain('--gpu');
    // The action's `${{ }}` default means nothing on a command line.
    expect(verbUsage('cost')).not.toContain('${{');
    expect(verbUsage('cost')).toMatch(/--post-comment\n {6}Create or update the pull request's one cost comment\.\n/);
  });

  it('prints it and exits 0 (it used to be an unknown option)', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runCli(['validate', '--help'])).toBe(0);
    expect(out.mock.calls.map((c) => String(c[0])).join('')).toBe(verbUsage('validate'));
  });

  it('names the verb it does not know', () => {
    expect(() => help(['valdate', '--help'])).toThrow(UsageError);
    expect(() => help(['help', 'valdate'])).toThrow(/did you mean validate/);
  });
});

describe('flags come from the spec', () => {
  it('a string input takes a value, a boolean one is a bare flag, as declared', () => {
    for (const v of VERBS) {
      const argv = [v.name];
      for (const n of commandInputs(v)) argv.push(`--${n}`, ...(v.inputs[n]!.type === 'boolean' ? [] : ['x']));
      const r = parseCommandLine(argv);
      if ('help' in r) throw new Error('help');
      expect(r.command).toBe(v.name);
      for (const n of commandInputs(v)) expect(r.inputs.get(n)).toBe(v.inputs[n]!.type === 'boolean' ? 'true' : 'x');
    }
  });

  it('an input only the composite action reads is not a flag', () => {
    expect(() => parseCommandLine(['train', '--gpu', 'true'])).toThrow(/Unknown option '--gpu'/);
  });

  it('an unknown flag is still a usage error naming the nearest and the verb’s flags', () => {
    expect(() => parseCommandLine(['validate', '--confg', 'x'])).toThrow(
      /^validate: Unknown option '--confg' \(did you mean --config\?\); its flags are --config, --format, --base, --update-lock, --auth$/,
    );
  });

  it('the verbs are the specs, in order', () => {
    expect(COMMAND_NAMES).toEqual(VERBS.map((v) => v.name));
  });
});
