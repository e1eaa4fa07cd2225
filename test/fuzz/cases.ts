/**
 * Generated and mutated project files for the spec fuzzer: test/fuzz/specs.test.ts runs a few hundred of these
 * through validate on every `npm test`, bench/fuzz.mjs runs ten thousand. A case is a pure function of (seed, index)
 * and the example project's text, so any case either of them reports can be replayed alone.
 */
import { prng } from '../../src/train/local/split.js';
import { Buffer } from 'node:buffer';
import { parse, stringify } from 'yaml';

/** The example's files a case may rewrite (paths relative to examples/). */
export const TARGETS = [
  'tfaml.yml',
  'azureml/environments/tf-gpu.yml',
  'azureml/environments/conda.yml',
  'azureml/data/flowers.yml',
  'azureml/compute/gpu-cluster.yml',
  'azureml/jobs/train.yml',
  'azureml/endpoints/blue.yml',
] as const;

export interface FuzzCase {
  index: number;
  /** The mutators applied, in order, e.g. `tfaml.yml: wrong-type+crlf`. */
  name: string;
  /** New content per target path. */
  files: Record<string, string | Uint8Array>;
}

class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const UNICODE = [
  'ünïcödé',
  '名前',
  '\u202egpj.exe', // right-to-left override
  'zero\u200bwidth',
  '🧪🚀',
  'nul\u0000byte',
  '\ud800lone', // a lone surrogate: written as UTF-8 it becomes U+FFFD
  'line\nbreak',
  '::error::injected',
  '${{ github.token }}',
  '../../../etc/passwd',
  'C:\\Windows\\system32',
  '',
  ' ',
  'a'.repeat(5000),
];

const NUMBERS = [
  0,
  -1,
  -0,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 53,
  0.1,
  1e-320,
  4294967296,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
];

const NUMBER_TEXT = [
  '1e999',
  '-1e999',
  '99999999999999999999999999999',
  '.inf',
  '-.inf',
  '.nan',
  '0x7fffffff',
  '0o777',
  '1_000',
  '+12',
  '007',
  '1.',
  '-0',
];

const KEYS = [
  'version',
  'project',
  'owners',
  'workspace',
  'name',
  'path',
  'local',
  'stage',
  'type',
  'image',
  'build',
  'conda_file',
  'dependencies',
  'pip',
  'inputs',
  'environment',
  'compute',
  'resources',
  'limits',
  'min_instances',
  'max_instances',
  'instance_count',
  'trial',
  'code',
  'model',
  'train',
  'gates',
  'suppress',
  'policy',
  'cost',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'enviroment',
  '',
];

function randomValue(r: Rand, depth = 0): unknown {
  switch (r.int(depth > 2 ? 5 : 8)) {
    case 0:
      return r.pick(NUMBERS);
    case 1:
      return r.pick(UNICODE);
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return r.pick(KEYS);
    case 4:
      return `azureml:${r.pick(UNICODE)}:${r.pick(NUMBERS)}`;
    case 5:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    case 6: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[r.pick(KEYS)] = randomValue(r, depth + 1);
      return o;
    }
    default:
      return r.pick([{}, [], '']);
  }
}

type Path = (string | number)[];

/** Every path to a node of a parsed value (the root excluded). */
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (at.length > 20 || out.length > 1000) return out;
  const entries: [string | number, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : v && typeof v === 'object'
      ? Object.entries(v)
      : [];
  for (const [k, x] of entries) {
    out.push([...at, k]);
    paths(x, [...at, k], out);
  }
  return out;
}

function container(root: unknown, p: Path): Record<string | number, unknown> | undefined {
  let v = root as Record<string | number, unknown> | undefined;
  for (const k of p.slice(0, -1)) v = v?.[k] as Record<string | number, unknown> | undefined;
  return v && typeof v === 'object' ? v : undefined;
}

/** A mutation of the parsed value, written back as YAML (falls back to text mutation when the input does not parse). */
function structured(r: Rand, text: string, kind: 'wrong-type' | 'delete-key' | 'unknown-key' | 'huge-number'): string {
  let root: unknown;
  try {
    root = parse(text, { uniqueKeys: false, logLevel: 'silent' });
  } catch {
    return text + `\n${r.pick(KEYS) || 'x'}: ${JSON.stringify(randomValue(r))}\n`;
  }
  if (!root || typeof root !== 'object') root = { value: root };
  const all = paths(root);
  const p = all.length ? r.pick(all) : ['x'];
  const parent = container(root, p);
  const key = p[p.length - 1]!;
  if (parent) {
    if (kind === 'wrong-type') parent[key] = randomValue(r);
    else if (kind === 'huge-number') parent[key] = r.pick(NUMBERS);
    else if (kind === 'delete-key') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (!Array.isArray(parent))
      Object.defineProperty(parent, r.pick(KEYS), {
        value: randomValue(r),
        enumerable: true,
        configurable: true,
        writable: true,
      });
  }
  try {
    return stringify(root, { aliasDuplicateObjects: r.chance(0.5) });
  } catch {
    return text;
  }
}

function lines(text: string): string[] {
  return text.split('\n');
}

/** A key line such as `  name: x` at a random place, or undefined. */
function keyLine(r: Rand, text: string): number | undefined {
  const ls = lines(text);
  const keyed = ls.map((l, i) => (/^\s*(- )?[\w$-]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
  return keyed.length ? r.pick(keyed) : undefined;
}

function bytes(r: Rand, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r.int(256);
  return b;
}

function bomb(levels: number, width: number): string {
  const out = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i <= levels; i++)
    out.push(
      `l${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return out.join('\n') + '\n';
}

type Mutator = (r: Rand, text: string) => string | Uint8Array;

const MUTATORS: Record<string, Mutator> = {
  'wrong-type': (r, t) => structured(r, t, 'wrong-type'),
  'delete-key': (r, t) => structured(r, t, 'delete-key'),
  'unknown-key': (r, t) => structured(r, t, 'unknown-key'),
  'huge-number': (r, t) => structured(r, t, 'huge-number'),
  'number-text': (r, t) => t.replace(/: (\d+(\.\d+)?)$/m, `: ${r.pick(NUMBER_TEXT)}`),
  unicode: (r, t) => {
    const i = keyLine(r, t);
    if (i === undefined) return t + r.pick(UNICODE);
    const ls = lines(t);
    ls[i] = ls[i]!.replace(/:.*$/, `: ${JSON.stringify(r.pick(UNICODE))}`);
    return ls.join('\n');
  },
  'unicode-key': (r, t) => t + `\n${r.pick(['ключ', 'ｖｅｒｓｉｏｎ', 'ver\u200bsion', '🔑'])}: 1\n`,
  empty: () => '',
  whitespace: (r) => r.pick(['\n', '   ', '\t\n', '\r\n\r\n', '# only a comment\n']),
  bom: (_r, t) => '\uFEFF' + t,
  'double-bom': (_r, t) => '\uFEFF\uFEFF' + t,
  crlf: (_r, t) => t.replace(/\n/g, '\r\n'),
  'cr-only': (_r, t) => t.replace(/\n/g, '\r'),
  tabs: (r, t) => {
    const ls = lines(t);
    const indented = ls.map((l, i) => (/^ +\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!indented.length) return '\t' + t;
    const i = r.pick(indented);
    ls[i] = ls[i]!.replace(/^ +/, r.pick(['\t', '\t  ', '  \t']));
    return ls.join('\n');
  },
  'tab-value': (_r, t) => t.replace(/: /, ':\t'),
  'duplicate-key': (r, t) => {
    const i = keyLine(r, t);
    if (i === undefined) return t + '\na: 1\na: 2\n';
    const ls = lines(t);
    ls.splice(i, 0, ls[i]!);
    return ls.join('\n');
  },
  'multi-doc': (r, t) =>
    r.pick([`${t}\n---\n${t}`, `---\n${t}\n...\n---\n`, `${t}\n---\n`, `--- |\n  text\n---\n${t}`]),
  directive: (r, t) => r.pick(['%YAML 1.1\n---\n', '%YAML 9.9\n---\n', '%TAG !x! tag:x,2024:\n---\n', '%FOO\n']) + t,
  truncate: (r, t) => t.slice(0, r.int(t.length + 1)),
  garbage: (r) => bytes(r, 1 + r.int(2048)),
  'splice-garbage': (r, t) => {
    const b = Buffer.from(t);
    const at = r.int(b.length + 1);
    return Buffer.concat([b.subarray(0, at), bytes(r, 1 + r.int(16)), b.subarray(at)]);
  },
  'nul-bytes': (r, t) => {
    const at = r.int(t.length + 1);
    return t.slice(0, at) + '\u0000\u0000' + t.slice(at);
  },
  utf16: (_r, t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  'alias-bomb': (r, t) =>
    r.pick([bomb(9, 9), t + '\n' + bomb(6 + r.int(4), 9), bomb(30, 2), `${bomb(4, 9)}value: *l4\n`]),
  aliases: (r, t) => {
    const i = keyLine(r, t);
    if (i === undefined) return `a: &x 1\nb: *x\n${t}`;
    const ls = lines(t);
    const m = /^(\s*(?:- )?)([\w$-]+):(.*)$/.exec(ls[i]!);
    if (!m) return t;
    ls[i] = `${m[1]}${m[2]}: &anchor${m[3]}`;
    ls.push(r.pick(['copy: *anchor', 'copy: *missing', '<<: *anchor', 'project: *anchor']));
    return ls.join('\n');
  },
  'self-alias': () => 'a: &a [*a]\n',
  'merge-key': (_r, t) => `base: &base\n  name: merged\n  version: 1\n${t}\n<<: *base\n`,
  'deep-flow': (r) => {
    const d = r.pick([100, 1000, 5000, 20000]);
    return `version: 1\nproject: deep\nowners: ${'['.repeat(d)}${']'.repeat(d)}\n`;
  },
  'deep-block': (r, t) => {
    const d = r.pick([50, 200, 1000]);
    const out = [t.trimEnd(), 'nested:'];
    for (let i = 1; i < d; i++) out.push(`${' '.repeat(i)}k:`);
    out.push(`${' '.repeat(d)}v`);
    return out.join('\n') + '\n';
  },
  'deep-seq': (r, t) =>
    `${t}\nextra:\n${Array.from({ length: r.pick([100, 1000]) }, (_, i) => `${'  '.repeat(i)}- `).join('\n')}x\n`,
  'many-keys': (r, t) =>
    t + '\n' + Array.from({ length: r.pick([1000, 20000]) }, (_, i) => `k${i}: ${i}`).join('\n') + '\n',
  'long-line': (r, t) => t.replace(/: (.+)$/m, `: ${'x'.repeat(r.pick([10_000, 1_000_000]))}`),
  'long-list': (r, t) => `${t}\nowners: [${Array.from({ length: r.pick([1000, 50000]) }, () => '"@a"').join(',')}]\n`,
  tags: (r, t) =>
    t.replace(
      /: (.+)$/m,
      `: ${r.pick(['!!binary aGVsbG8=', '!!set {a, b}', '!!omap [a: 1]', '!custom x', '!!timestamp 2024-01-01', '!!js/function "f(){}"', '!!int "x"', '!!float abc', '!!null x', '!<tag:yaml.org,2002:str> 1'])}`,
    ),
  'complex-key': (r, t) =>
    t +
    r.pick(['\n? [a, b]\n: c\n', '\n? {a: 1}\n: c\n', '\n1: numeric\n', '\nnull: x\n', '\n~: y\n', '\n"": empty\n']),
  'flow-style': (_r, t) => {
    try {
      return JSON.stringify(parse(t, { uniqueKeys: false, logLevel: 'silent' }));
    } catch {
      return `{${t}`;
    }
  },
  'scalar-doc': (r) =>
    r.pick(['42', 'just text', '- a\n- b\n', '[]', '{}', 'null', '~', 'true', '"quoted"', '|\n  block\n']),
  'bad-indent': (r, t) => {
    const i = keyLine(r, t);
    if (i === undefined) return ' ' + t;
    const ls = lines(t);
    ls[i] = ' '.repeat(1 + r.int(3)) + ls[i];
    return ls.join('\n');
  },
  'unclosed-quote': (r, t) => {
    const i = keyLine(r, t);
    if (i === undefined) return t + '\n"open';
    const ls = lines(t);
    ls[i] = ls[i]!.replace(/:\s*/, `: ${r.pick(['"', "'", '[', '{', '|', '>', '&', '*', '!', '%', '@', '`'])}`);
    return ls.join('\n');
  },
};

const NAMES = Object.keys(MUTATORS);

/** Case `index` of the run seeded with `seed`: one to three mutators over one to two of the example's files. */
export function fuzzCase(seed: number, index: number, originals: Readonly<Record<string, string>>): FuzzCase {
  const r = new Rand(prng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)));
  const files: Record<string, string | Uint8Array> = {};
  const names: string[] = [];
  const count = r.chance(0.8) ? 1 : 2;
  for (let f = 0; f < count; f++) {
    // tfaml.yml gets a third of the cases; every other file is reached only through it.
    const target = r.chance(0.34) ? 'tfaml.yml' : r.pick(TARGETS);
    let content: string | Uint8Array = files[target] ?? originals[target]!;
    const applied: string[] = [];
    for (let m = r.chance(0.7) ? 1 : 2 + r.int(2); m > 0; m--) {
      const name = r.pick(NAMES);
      const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
      content = MUTATORS[name]!(r, text);
      applied.push(name);
    }
    files[target] = content;
    names.push(`${target}: ${applied.join('+')}`);
  }
  return { index, name: names.join(', '), files };
}
