/**
 * Dockerfiles parsed into instructions, and each `FROM` into the image it pulls.
 *
 * Handled: parser directives (`# escape=`), comments, line continuations, heredocs (`RUN <<EOF`), JSON (exec) form,
 * `FROM [--platform=…] image[:tag][@digest] [AS name]`, global `ARG`s (those before the first FROM) substituted into
 * FROM as `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `FROM scratch`, `FROM <earlier stage>`.
 * Azure ML builds a `build:` context without build arguments, so an ARG's default is what is built.
 * Shell words (for install commands, parse/dockerfile-installs.ts) are split here too.
 */

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

export interface Word {
  text: string;
  offset: number;
  /** A control operator (&&, ||, ;, |, &, parentheses, newline) rather than a word. */
  op?: boolean;
  /** Contained an unquoted or double-quoted `$` (a variable or substitution we do not evaluate). */
  dynamic?: boolean;
}

/** Split shell text into words and control operators, honouring quotes; good enough for install commands. */
export function shellWords(s: string): Word[] {
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

/** Words split at control operators: one list of words per simple command. */
export function commands(words: Word[]): Word[][] {
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
