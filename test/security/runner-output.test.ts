/**
 * One writer for runner output (src/core/inert.ts): hostile values from a pull request never become workflow
 * commands, on the action's log or the CLI's, and secret-shaped query values never reach a message.
 */
import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionOutput } from '../../src/adapters/github/action-output.js';
import { cliOutput } from '../../src/adapters/local/cli-output.js';
import { validate } from '../../src/commands/validate.js';
import { inertLog, quote, redactSecrets } from '../../src/core/inert.js';
import { copyExample, inputs, patch, tempDir } from '../helpers/project.js';

const HOSTILE = [
  'x:latest\n::warning title=injected::forged\n::stop-commands::abc',
  'a\r::add-mask::everything',
  '  ::set-output name=x::y',
  'prefix ##[error]legacy command',
  '\r\n::error::crlf',
];

/** Every line the runner would see: it splits at LF, CRLF and a lone CR. */
const lines = (text: string) => text.split(/\r\n|\r|\n/);
/** Lines the runner would parse as a workflow command (v2: `::` after leading whitespace; v1: `##[` anywhere). */
const commandLines = (text: string) => lines(text).filter((l) => l.trimStart().startsWith('::') || l.includes('##['));

describe('inertLog', () => {
  it.each(HOSTILE)('leaves no workflow command in %j', (value) => {
    const out = inertLog(`image ${value} is unpinned\n`);
    expect(commandLines(out)).toEqual([]);
    // Nothing of the value is lost: only a zero-width space was added in front of each would-be command.
    expect(out.replace(/\u200b/g, '')).toBe(`image ${value} is unpinned\n`.replace(/\r\n?/g, '\n'));
  });

  it('quotes values JSON style, so a line break in a value is shown, not acted on', () => {
    expect(quote('a\n::warning::b')).toBe('"a\\n::warning::b"');
    expect(lines(`image ${quote(HOSTILE[0])}`)).toHaveLength(1);
  });
});

describe('redactSecrets', () => {
  it.each([
    [
      'https://acct.blob.core.windows.net/c/x?sv=2024-01-01&se=2030&sp=r&sig=AbC%2Bdef%3D',
      'https://acct.blob.core.windows.net/c/x?sv=2024-01-01&se=2030&sp=r&sig=***',
    ],
    ['GET https://h/x?access_token=eyJabc.def&a=1 failed', 'GET https://h/x?access_token=***&a=1 failed'],
    ['https://h/cb?code=0.AAA&state=s', 'https://h/cb?code=***&state=s'],
    ['no secret here: exit code=3, key is fine', 'no secret here: exit code=3, key is fine'],
  ])('%s', (text, want) => expect(redactSecrets(text)).toBe(want));
});

describe('the outputs write inert lines', () => {
  it('the CLI output (stdout report, stderr logs)', () => {
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let text = '';
    stdout.on('data', (c) => (text += String(c)));
    stderr.on('data', (c) => (text += String(c)));
    const out = cliOutput(stdout, stderr);
    for (const v of HOSTILE) {
      out.print(`${v}\n`);
      out.log.info(v);
      out.log.warning(v);
      out.log.progress(v);
    }
    out.log.info('uploaded to https://a.blob.core.windows.net/c?sv=1&sig=SECRETSIG');
    expect(commandLines(text)).toEqual([]);
    expect(text).not.toContain('SECRETSIG');
  });

  afterEach(() => vi.restoreAllMocks());

  it('validate as an action, with a hostile image in an environment: the only commands are its own annotations', async () => {
    const dir = copyExample();
    patch(dir, 'azureml/environments/tf-gpu.yml', /^image: .*$/m, `image: ${JSON.stringify(HOSTILE[0])}\n`);
    // As on a runner: outputs go to the GITHUB_OUTPUT file, not to the log.
    const outputFile = path.join(tempDir(), 'output');
    writeFileSync(outputFile, '');
    vi.stubEnv('GITHUB_OUTPUT', outputFile);
    let written = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
    const code = await validate(inputs({ config: path.join(dir, 'tfaml.yml') }), actionOutput());
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    expect(code).toBe(1);
    const commands = commandLines(written);
    // Each command is an annotation @actions/core wrote, its data escaped; none is the PR's.
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c).toMatch(/^::(error|warning) title=[a-z]+\/[a-z-]+,file=[^:]*::/);
    const heads = commands.map((c) => c.slice(0, c.indexOf('::', 2)).replace(/,file=.*$/, ''));
    expect(heads.sort()).toEqual(['::error title=env/immutable-conflict', '::warning title=env/unpinned-image']);
    expect(written).toContain('forged'); // the value is still shown, as text
  });
});
