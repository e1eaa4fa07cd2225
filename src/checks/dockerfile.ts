/**
 * Dockerfiles of `build:` environments: the images each `FROM` pulls (env/unpinned-image) and, best effort, the
 * packages `RUN pip install` / `conda install` put in without a pin (env/unpinned-package).
 *
 * Handled: parser directives (`# escape=`), comments, line continuations, heredocs (`RUN <<EOF`), JSON (exec) form,
 * `FROM [--platform=…] image[:tag][@digest] [AS name]`, global `ARG`s (those before the first FROM) substituted into
 * FROM as `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `FROM scratch`, `FROM <earlier stage>`.
 * Azure ML builds a `build:` context without build arguments, so an ARG's default is what is built.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceDoc } from '../config/source.js';
import type { Finding } from '../core/findings.js';
import {
  dependencyFindings,
  parseConda,
  parseCondaSpec,
  parsePipLine,
  parseRequirementsText,
  type Dependency,
  type RequirementsContext,
} from './conda.js';
import { imageProblem } from './image.js';

export interface DockerInstruction {
  /** Upper case: FROM, RUN, ARG, … */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
  /** The 1-based line of an offset into `args`. */
  lineAt(offset: number): number;
  /** Heredoc bodies (`RUN <<EOF … EOF`), line by line. */
  heredoc: { text: string; line: number }[];
}

export interface FromInstruction {
  line: number;
  /** The image as written (before ARG substitution). */
  written: string;
  /** After ARG substitution; undefined when a variable cannot be resolved. */
  image?: string;
  /** Variables without a value. */
  unresolved: string[];
  /** Global ARGs the reference used, with the line that gave each its default. */
  argsUsed: { name: string; line: number }[];
  stage?: string;
  kind: 'image' | 'scratch' | 'stage' | 'unresolved';
}

export interface ParsedDockerfile {
  instructions: DockerInstruction[];
  froms: FromInstruction[];
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Instructions                                                                                                   */

export function dockerInstructions(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  // Parser directives: `# key=value` lines at the very top.
  for (const l of lines) {
    const m = l.match(/^\s*#\s*([A-Za-z]+)\s*=\s*(\S*)\s*$/);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const isSkippable = (l: string): boolean => /^\s*(#.*)?$/.test(l);
  const out: DockerInstruction[] = [];
  let i = 0;
  while (i < lines.length) {
    if (isSkippable(lines[i]!)) {
      i++;
      continue;
    }
    const parts: { text: string; line: number }[] = [];
    for (;;) {
      const cur = lines[i]!;
      const trimmed = cur.replace(/\s+$/, '');
      i++;
      if (trimmed.endsWith(escape)) {
        parts.push({ text: trimmed.slice(0, -1), line: i });
        while (i < lines.length && isSkippable(lines[i]!)) i++;
        if (i >= lines.length) break;
      } else {
        parts.push({ text: cur, line: i });
        break;
      }
    }
    const joined = parts.map((p) => p.text).join('');
    const m = joined.match(/^\s*(\S+)\s*/);
    if (!m) continue;
    const keywordEnd = m[0].length;
    const starts: number[] = [];
    let acc = -keywordEnd;
    for (const p of parts) {
      starts.push(acc);
      acc += p.text.length;
    }
    const lineAt = (offset: number): number => {
      let line = parts[0]!.line;
      starts.forEach((s, k) => {
        if (offset >= s) line = parts[k]!.line;
      });
      return line;
    };
    const ins: DockerInstruction = {
      keyword: m[1]!.toUpperCase(),
      args: joined.slice(keywordEnd),
      line: parts[0]!.line,
      lineAt,
      heredoc: [],
    };
    // Heredocs: the body lines up to the delimiter belong to this instruction.
    for (const h of ins.args.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
      const strip = h[1] === '-';
      const end = h[3]!;
      while (i < lines.length) {
        const body = lines[i]!;
        i++;
        if ((strip ? body.replace(/^\t+/, '') : body).trimEnd() === end) break;
        ins.heredoc.push({ text: body, line: i });
      }
    }
    out.push(ins);
  }
  return out;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Shell words                                                                                                    */

interface Word {
  text: string;
  offset: number;
  /** A control operator (&&, ||, ;, |, &, parentheses, newline) rather than a word. */
  op?: boolean;
  /** Contained an unquoted or double-quoted `$` (a variable or substitution we do not evaluate). */
  dynamic?: boolean;
}

/** Split shell text into words and control operators, honouring quotes; good enough for install commands. */
function shellWords(s: string): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '(' || c === ')') {
      out.push({ text: c, offset: i, op: true });
      i++;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = s[i + 1] === c;
      out.push({ text: two ? c + c : c, offset: i, op: true });
      i += two ? 2 : 1;
      continue;
    }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    const start = i;
    let text = '';
    let dynamic = false;
    while (i < s.length && !/[\s;&|()]/.test(s[i]!)) {
      const ch = s[i]!;
      if (ch === "'") {
        const end = s.indexOf("'", i + 1);
        const stop = end < 0 ? s.length : end;
        text += s.slice(i + 1, stop);
        i = stop + 1;
      } else if (ch === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          if (s[i] === '$') dynamic = true;
          text += s[i];
          i++;
        }
        i++;
      } else if (ch === '\\' && i + 1 < s.length) {
        text += s[i + 1];
        i += 2;
      } else {
        if (ch === '$' || ch === '`') dynamic = true;
        text += ch;
        i++;
      }
    }
    out.push({ text, offset: start, dynamic });
  }
  return out;
}

function commands(words: Word[]): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  for (const w of words) {
    if (w.op) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(w);
  }
  if (cur.length) out.push(cur);
  return out;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* FROM and ARG                                                                                                   */

function substitute(
  s: string,
  vars: Map<string, { value?: string; line: number }>,
): { value?: string; unresolved: string[]; used: { name: string; line: number }[] } {
  const unresolved: string[] = [];
  const used: { name: string; line: number }[] = [];
  const value = s.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, braced?: string, op?: string, word?: string, bare?: string) => {
      if (all === '\\$') return '$';
      const name = (braced ?? bare)!;
      const v = vars.get(name);
      if (v) used.push({ name, line: v.line });
      const val = v?.value;
      const set = val !== undefined && val !== '';
      if (op === ':-' || op === '-') return (op === ':-' ? set : val !== undefined) ? val! : (word ?? '');
      if (op === ':+' || op === '+') return (op === ':+' ? set : val !== undefined) ? (word ?? '') : '';
      if (val === undefined || val === '') {
        unresolved.push(name);
        return '';
      }
      return val;
    },
  );
  return { value: unresolved.length ? undefined : value, unresolved, used };
}

function argDefinitions(args: string, line: number, into: Map<string, { value?: string; line: number }>): void {
  for (const w of shellWords(args)) {
    if (w.op) continue;
    const eq = w.text.indexOf('=');
    if (eq < 0) {
      if (!into.has(w.text)) into.set(w.text, { line });
    } else into.set(w.text.slice(0, eq), { value: w.text.slice(eq + 1), line });
  }
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions = dockerInstructions(text);
  const globals = new Map<string, { value?: string; line: number }>();
  const stages = new Set<string>();
  const froms: FromInstruction[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'ARG' && froms.length === 0) argDefinitions(ins.args, ins.line, globals);
    if (ins.keyword !== 'FROM') continue;
    const words = shellWords(ins.args).filter((w) => !w.op && !w.text.startsWith('--'));
    const imageWord = words[0];
    if (!imageWord) continue;
    // shellWords strips quotes but keeps `$`; substitute on the raw text of the word.
    const raw = ins.args.slice(imageWord.offset).split(/\s/)[0] ?? imageWord.text;
    const stage = words[1]?.text.toLowerCase() === 'as' ? words[2]?.text : undefined;
    const sub = substitute(raw, globals);
    const line = ins.lineAt(imageWord.offset);
    const from: FromInstruction = {
      line,
      written: raw,
      image: sub.value,
      unresolved: sub.unresolved,
      argsUsed: sub.used,
      stage,
      kind: 'image',
    };
    if (sub.value === undefined || sub.value === '') from.kind = 'unresolved';
    else if (sub.value.toLowerCase() === 'scratch') from.kind = 'scratch';
    else if (stages.has(sub.value.toLowerCase())) from.kind = 'stage';
    froms.push(from);
    if (stage) stages.add(stage.toLowerCase());
  }
  return { instructions, froms };
}

/**
 * The image the final stage starts from, following `FROM <stage>` back to its image: `{ image }`, or `{ scratch }`,
 * or `{}` when it cannot be resolved.
 */
export function finalBase(df: ParsedDockerfile): { from?: FromInstruction } {
  let cur = df.froms[df.froms.length - 1];
  const seen = new Set<FromInstruction>();
  while (cur && cur.kind === 'stage' && !seen.has(cur)) {
    seen.add(cur);
    const name = cur.image!.toLowerCase();
    const idx = df.froms.indexOf(cur);
    cur = df.froms
      .slice(0, idx)
      .reverse()
      .find((f) => f.stage?.toLowerCase() === name);
  }
  return { from: cur };
}

/** env/unpinned-image findings for each FROM. */
export function fromFindings(file: string, df: ParsedDockerfile): Finding[] {
  const out: Finding[] = [];
  for (const f of df.froms) {
    if (f.kind === 'scratch' || f.kind === 'stage') continue;
    if (f.kind === 'unresolved') {
      const vars = f.unresolved.map((v) => `\`${v}\``).join(', ');
      out.push({
        rule: 'env/unpinned-image',
        severity: 'error',
        file,
        line: f.line,
        message: `FROM ${f.written} cannot be resolved: ${vars} ${f.unresolved.length > 1 ? 'have' : 'has'} no default in an ARG before the first FROM, and Azure ML builds without build arguments, so which image this is cannot be told and it is not pinned; give it a pinned default: ARG ${f.unresolved[0]}=<image>:<tag>@sha256:<digest>`,
        source: 'files',
      });
      continue;
    }
    const p = imageProblem(f.image!, 'FROM');
    if (!p) continue;
    const via = f.argsUsed.length
      ? `FROM ${f.written} (${f.argsUsed.map((a) => `ARG ${a.name} on line ${a.line}`).join(', ')}): `
      : '';
    out.push({
      rule: 'env/unpinned-image',
      severity: p.severity,
      file,
      line: f.line,
      message: `${via}${p.message}`,
      source: 'files',
    });
  }
  return out;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* RUN pip install / conda install                                                                                */

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

/**
 * All Dockerfile findings: env/unpinned-image for each FROM and env/unpinned-package for what RUN installs.
 * Local paths installed in a Dockerfile are inside the build context, which is part of the environment's
 * definition, so they are not env/local-path-dependency findings.
 */
export function checkDockerfile(file: string, text: string, ctx?: DockerfileContext): Finding[] {
  const df = parseDockerfile(text);
  return [
    ...fromFindings(file, df),
    ...dependencyFindings(dockerfileDependencies(file, df, ctx), { includeLocal: false }),
  ];
}
