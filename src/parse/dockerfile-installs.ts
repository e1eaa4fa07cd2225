/**
 * What a Dockerfile's RUN instructions install with pip or conda (best effort: shell words, flags skipped, words
 * with `$` skipped), as dependencies at the line that installs them; `-r` / `--file` / `conda env create -f` files
 * are read when the build context has them. Whether they are pinned is policy (checks/conda.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceDoc } from '../config/source.js';
import { parseConda, parseCondaSpec } from './conda.js';
import type { Dependency } from './dependency.js';
import { commands, shellWords, type ParsedDockerfile, type Word } from './dockerfile.js';
import { parsePipLine, parseRequirementsText, type RequirementsContext } from './pip.js';

const PIP_VALUE_FLAGS = new Set([
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--src',
  '--upgrade-strategy',
  '--progress-bar',
  '--cache-dir',
  '--log',
  '--trusted-host',
  '--proxy',
  '--timeout',
  '--retries',
  '--no-binary',
  '--only-binary',
  '--config-settings',
  '-C',
  '--global-option',
  '--report',
  '--python',
  '--exists-action',
  '--cert',
  '--client-cert',
  '--keyring-provider',
  '--root-user-action',
]);
const CONDA_VALUE_FLAGS = new Set([
  '-c',
  '--channel',
  '-n',
  '--name',
  '-p',
  '--prefix',
  '--solver',
  '--repodata-fn',
  '--subdir',
  '--platform',
  '--clone',
  '--experimental-solver',
]);

export interface DockerfileContext {
  /** Absolute project root. */
  root: string;
  /** The build context, project-relative; `-r` / `--file` / `-f` files are looked up in it. */
  dir: string;
}

function findInContext(ctx: DockerfileContext | undefined, written: string): string | undefined {
  if (!ctx || written.includes('$')) return undefined;
  const candidates = [
    path.posix.join(ctx.dir, written.replace(/^\/+/, '')),
    path.posix.join(ctx.dir, path.posix.basename(written)),
  ];
  return candidates
    .map((c) => path.posix.normalize(c))
    .find((c) => !c.startsWith('../') && existsSync(path.join(ctx.root, c)));
}

/** What a single shell command installs. */
function commandPackages(
  file: string,
  words: Word[],
  lineOf: (offset: number) => number,
  ctx: DockerfileContext | undefined,
  req: RequirementsContext,
): Dependency[] {
  let ws = [...words];
  // Leading VAR=value assignments and wrappers.
  while (
    ws.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(ws[0]!.text) ||
      ['sudo', 'env', 'exec', 'time', 'command', 'nohup'].includes(ws[0]!.text))
  )
    ws = ws.slice(1);
  const base = (w: Word | undefined): string => path.posix.basename(w?.text ?? '');
  let manager: 'pip' | 'conda' | undefined;
  let args: Word[] = [];
  let condaEnvFile = false;
  const b0 = base(ws[0]);
  if (/^(conda|mamba|micromamba)$/.test(b0)) {
    // `conda run [-n env] <command …>`
    if (ws[1]?.text === 'run') {
      let k = 2;
      while (k < ws.length && ws[k]!.text.startsWith('-')) k += CONDA_VALUE_FLAGS.has(ws[k]!.text) ? 2 : 1;
      return commandPackages(file, ws.slice(k), lineOf, ctx, req);
    }
    if (ws[1]?.text === 'install' || ws[1]?.text === 'create') {
      manager = 'conda';
      args = ws.slice(2);
    } else if (ws[1]?.text === 'env' && (ws[2]?.text === 'create' || ws[2]?.text === 'update')) {
      condaEnvFile = true;
      args = ws.slice(3);
    }
  } else if (/^pip(\d+(\.\d+)?)?$/.test(b0) && ws[1]?.text === 'install') {
    manager = 'pip';
    args = ws.slice(2);
  } else if (
    /^python(\d+(\.\d+)?)?$/.test(b0) &&
    ws[1]?.text === '-m' &&
    /^pip(\d+(\.\d+)?)?$/.test(ws[2]?.text ?? '') &&
    ws[3]?.text === 'install'
  ) {
    manager = 'pip';
    args = ws.slice(4);
  } else if (b0 === 'uv' && ws[1]?.text === 'pip' && ws[2]?.text === 'install') {
    manager = 'pip';
    args = ws.slice(3);
  }
  const out: Dependency[] = [];
  const readFrom = (valueWord: Word | undefined, kind: 'requirements' | 'conda-env' | 'conda-specs'): void => {
    const written = valueWord?.text;
    if (!written || valueWord.dynamic) return;
    const found = findInContext(ctx, written);
    if (!found || !ctx) return;
    // Best effort: a file that cannot be read or parsed here is left to the image build to complain about.
    try {
      const text = readFileSync(path.join(ctx.root, found), 'utf8');
      if (kind === 'requirements') out.push(...parseRequirementsText(found, text, req));
      else if (kind === 'conda-specs') {
        text.split(/\r?\n/).forEach((l, n) => {
          const s = l.replace(/#.*$/, '').trim();
          if (s && !s.startsWith('@')) out.push(parseCondaSpec(s, { file: found, line: n + 1 }));
        });
      } else
        out.push(...parseConda(SourceDoc.parse(found, path.join(ctx.root, found), text), ctx.root, req).dependencies);
    } catch {
      /* unreadable or not YAML */
    }
  };
  if (condaEnvFile) {
    for (let k = 0; k < args.length; k++) {
      const w = args[k]!;
      if (w.text === '-f' || w.text === '--file') readFrom(args[k + 1], 'conda-env');
      else if (w.text.startsWith('--file=')) readFrom({ ...w, text: w.text.slice(7) }, 'conda-env');
    }
    return out;
  }
  if (!manager) return out;
  const values = manager === 'pip' ? PIP_VALUE_FLAGS : CONDA_VALUE_FLAGS;
  for (let k = 0; k < args.length; k++) {
    const w = args[k]!;
    if (w.text.startsWith('-')) {
      if (manager === 'pip' && (w.text === '-r' || w.text === '--requirement')) readFrom(args[++k], 'requirements');
      else if (manager === 'pip' && (w.text.startsWith('--requirement=') || /^-r\S/.test(w.text)))
        readFrom({ ...w, text: w.text.replace(/^(--requirement=|-r)/, '') }, 'requirements');
      else if (manager === 'conda' && w.text === '--file') readFrom(args[++k], 'conda-specs');
      else if (manager === 'conda' && w.text.startsWith('--file='))
        readFrom({ ...w, text: w.text.slice(7) }, 'conda-specs');
      else if (values.has(w.text)) k++;
      continue;
    }
    if (w.dynamic || w.text === '') continue;
    const location = { file, line: lineOf(w.offset) };
    if (manager === 'conda') out.push(parseCondaSpec(w.text, location));
    else {
      const parsed = parsePipLine(w.text, location);
      if (parsed.type === 'dependency') out.push(parsed.dependency);
    }
  }
  return out;
}

/**
 * The packages the Dockerfile's RUN instructions install with pip or conda (best effort: shell words, flags skipped,
 * words with `$` skipped). `-r` / `--file` / `conda env create -f` files are read when the build context has them.
 */
export function dockerfileDependencies(
  file: string,
  df: ParsedDockerfile,
  ctx?: DockerfileContext,
  req?: RequirementsContext,
): Dependency[] {
  const reqCtx: RequirementsContext = req ?? { root: ctx?.root ?? '.', errors: [] };
  const out: Dependency[] = [];
  for (const ins of df.instructions) {
    if (ins.keyword !== 'RUN') continue;
    const args = ins.args.trim();
    if (args.startsWith('[')) {
      try {
        const argv = JSON.parse(args) as unknown;
        if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) {
          const words: Word[] = (argv as string[]).map((t) => ({ text: t, offset: 0, dynamic: false }));
          out.push(...commandPackages(file, words, () => ins.line, ctx, reqCtx));
        }
      } catch {
        /* not JSON: shell form */
      }
      continue;
    }
    // Skip RUN flags (--mount=…, --network=…).
    const shell = ins.args.replace(/^(\s*--\S+)+/, (m) => ' '.repeat(m.length));
    for (const cmd of commands(shellWords(shell))) out.push(...commandPackages(file, cmd, ins.lineAt, ctx, reqCtx));
    for (const h of ins.heredoc)
      for (const cmd of commands(shellWords(h.text)))
        out.push(...commandPackages(file, cmd, () => h.line, ctx, reqCtx));
  }
  return out;
}
