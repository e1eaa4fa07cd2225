/**
 * A YAML file as the user wrote it, with every value's position kept so that a finding or an error can point at
 * file:line:column. `yaml` (eemeli/yaml), which keeps source ranges on every node, is the reference reading: its
 * values, its positions, its errors. A plain text is first read by js-yaml (YAML 1.2 core schema too), about twice as
 * fast as yaml from a cold start, which is where validate spends its time: the value is the same
 * (test/config/readings.test.ts holds the two readings equal on the spec fuzzer's cases), and yaml reads the text
 * only when a position is asked for, that is when there is something to report. A text with anchors, aliases,
 * tags or tabs, and any text js-yaml refuses, is read by yaml alone, whose errors are the ones reported.
 */
import { diskFiles, type ProjectFiles } from './files.js';
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import { CORE_SCHEMA, load as loadPlain } from 'js-yaml';
import { ConfigurationError, readFailure, type SourceLocation } from '../core/errors.js';

export type YamlPath = readonly (string | number)[];

/** Where a finding points: a file of the project, its line and column. */
export interface Place {
  file: string;
  line: number;
  column?: number;
}

/** A problem yaml reports, or one found here in its place (a repeated key). */
interface YamlProblem {
  code: string;
  pos: readonly [number, number];
  message: string;
}

/** Keys repeated within one mapping, in the order they appear: one pass with a set per mapping, no recursion. */
function duplicateKeys(doc: Document.Parsed): YamlProblem[] {
  const found: YamlProblem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Set<unknown>();
      for (const item of n.items) {
        if (isScalar(item.key)) {
          if (seen.has(item.key.value)) {
            const at = item.key.range?.[0] ?? 0;
            found.push({ code: 'DUPLICATE_KEY', pos: [at, at], message: 'Map keys must be unique' });
          } else seen.add(item.key.value);
        }
        stack.push(item.key, item.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) stack.push(item);
    } else if (isPair(n)) {
      stack.push(n.key, n.value);
    }
  }
  return found.sort((a, b) => a.pos[0] - b.pos[0]);
}

/** How often one anchor may be used through aliases, weighted by the aliases inside it (yaml's maxAliasCount). */
const MAX_ALIAS_COUNT = 100;

/**
 * The document's plain value. An alias is the user's to fix, at that alias, when it expands too far (a "billion
 * laughs" file, which yaml's maxAliasCount stops), names no anchor set before it, or sits inside the node it names:
 * that value is endless, and the schema check and every reader after it would walk it until the stack ran out.
 */
function plainValue(doc: Document.Parsed, at: (offset: number | undefined) => SourceLocation): unknown {
  // One pass in document order, with the anchors seen so far: yaml's Alias.resolve walks the whole document on each
  // call, which took seconds for a few dozen aliases in a file of 20,000 keys (a case of bench/fuzz.mjs).
  const anchors = new Map<string, Node>();
  let first: Alias | undefined;
  let problem: { alias: Alias; message: string } | undefined;
  visit(doc, {
    Node(_key, node, ancestors) {
      if (isAlias(node)) {
        first ??= node;
        const source = anchors.get(node.source);
        if (source === undefined) {
          problem = {
            alias: node,
            message: `this is not valid YAML: the alias *${node.source} names no anchor set before it; set \`&${node.source}\` on a value above, or write the value out`,
          };
        } else if (ancestors.includes(source)) {
          problem = {
            alias: node,
            message: `the alias *${node.source} is inside the node its anchor names, so the value never ends; write the value out instead of the alias`,
          };
        }
        return problem ? visit.BREAK : undefined;
      }
      if (node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  if (problem) throw new ConfigurationError(problem.message, at(problem.alias.range?.[0]));
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    throw new ConfigurationError(
      `the aliases in this file expand too far (a "billion laughs" file; tfaml reads at most ${MAX_ALIAS_COUNT} uses of an anchor, fewer for an anchor that holds aliases itself); write the values out`,
      at(first?.range?.[0]),
    );
  }
}

/** yaml's reading of a text: the document with its ranges, its lines, and its plain value. */
interface FullReading {
  doc: Document.Parsed;
  lines: LineCounter;
  value: unknown;
}

/**
 * Constructs only yaml reads (an anchor, an alias, a tag, a tab), and those the two read differently: a carriage
 * return alone as a line break, and keys that are not strings (yaml turns a null key into "", js-yaml into "null").
 */
const YAML_ONLY = /[&*!\t]|\r(?!\n)|__proto__/;
/** A key the core schema would read as null, a boolean or a number, or the empty key. */
const SCALAR_KEY =
  /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[.0-9].*|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;

/** A number too large for a double: yaml reads it as Infinity, js-yaml leaves it a string. */
const OVERFLOW = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;

/**
 * Whether yaml would read the same value: every mapping key is a string that came from a string (SCALAR_KEY) and no
 * string looks like a number in exponent form, which js-yaml keeps as text when it overflows.
 */
function readsAlike(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (OVERFLOW.test(v)) return false;
    } else if (Array.isArray(v)) {
      for (const x of v as unknown[]) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (SCALAR_KEY.test(k)) return false;
        stack.push(x);
      }
    }
  }
  return true;
}

/**
 * js-yaml's reading of a plain text, or undefined when yaml must read it: the text has a construct yaml alone
 * reads, or js-yaml refuses it (a syntax error, a repeated key, a complex key), and yaml's error is the one to show.
 */
export function plainReading(text: string): { value: unknown } | undefined {
  if (YAML_ONLY.test(text)) return undefined;
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const value = loadPlain(text, { schema: CORE_SCHEMA });
    return readsAlike(value) ? { value } : undefined;
  } catch {
    return undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** yaml's reading of a text. Syntax errors become one ConfigurationError naming each bad position. */
export function fullReading(file: string, abs: string, text: string): FullReading {
  const lines = new LineCounter();
  // Repeated keys are found by duplicateKeys below, not by yaml's uniqueKeys, which compares every key of a mapping
  // with every other: seven seconds for a file of 20,000 keys (a case of test/fuzz/specs.test.ts). yaml's warnings
  // (an unknown tag, a mapping used as a key) would go to process.emitWarning, onto tfaml's stderr: kept off.
  // yaml makes an Error per problem and only its position is used: without stack traces, 50,000 problems (a
  // garbled list, a case of bench/fuzz.mjs) take less than half the time.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: false,
      strict: true,
      logLevel: 'error',
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const errors: YamlProblem[] = [...doc.errors, ...duplicateKeys(doc)];
  if (errors.length > 0) {
    // After the first syntax error the parser's view of the rest is a guess (one tab yields a dozen "errors" on
    // the lines below it): report the first, and the ones above it, which it cannot have caused.
    const first = errors.reduce((m, e) => (e.code === 'DUPLICATE_KEY' ? m : Math.min(m, e.pos[0])), Infinity);
    const shown = errors.filter((e) => e.pos[0] <= first || (e.code === 'DUPLICATE_KEY' && e.pos[0] < first));
    const later = errors.length - shown.length;
    throw ConfigurationError.all(
      shown.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        // yaml stops at nesting deeper than the stack allows and calls it by the stack's name.
        const what =
          e.code === 'RESOURCE_EXHAUSTION'
            ? 'the value is nested deeper than tfaml reads'
            : (e.message.split('\n')[0] ?? e.message);
        const rest = later && e.pos[0] === first ? ' (the lines after it are checked once it parses)' : '';
        return new ConfigurationError(
          `this is not valid YAML: ${what.replace(/ at line \d+, column \d+:?$/, '')}; fix the syntax here${rest}`,
          { file, abs, line: pos.line, column: pos.col },
        );
      }),
    );
  }
  const at = (offset: number | undefined): SourceLocation => {
    const pos = lines.linePos(offset ?? 0);
    return { file, abs, line: pos.line, column: pos.col };
  };
  return { doc, lines, value: plainValue(doc, at) };
}

export class SourceDoc {
  private constructor(
    /** Path relative to the project root, forward slashes; this is what findings print. */
    readonly file: string,
    /** Absolute path on disk. */
    readonly abs: string,
    readonly text: string,
    /** The plain JavaScript value of the document. */
    readonly data: unknown,
    private full?: FullReading,
  ) {}

  /** Parse YAML text. Syntax errors become one ConfigurationError naming each bad position. */
  static parse(file: string, abs: string, text: string): SourceDoc {
    const plain = plainReading(text);
    if (plain) return new SourceDoc(file, abs, text, plain.value);
    const full = fullReading(file, abs, text);
    return new SourceDoc(file, abs, text, full.value, full);
  }

  /** yaml's reading, made when a position is first asked for. */
  private get reading(): FullReading {
    return (this.full ??= fullReading(this.file, this.abs, this.text));
  }

  /** Read and parse a file; a missing or unreadable file is a ConfigurationError pointing at `referencedFrom`. */
  static read(
    file: string,
    abs: string,
    referencedFrom?: SourceLocation,
    what = 'file',
    files: ProjectFiles = diskFiles,
    hint = 'fix the path (it resolves against the folder of tfaml.yml)',
  ): SourceDoc {
    let text: string;
    try {
      text = files.readText(abs);
    } catch (err) {
      const why = readFailure(err);
      throw new ConfigurationError(`the ${what} ${file} ${why}; ${hint}`, referencedFrom ?? { file });
    }
    return SourceDoc.parse(file, abs, text);
  }

  /** The node at `path`, or undefined. */
  node(path: YamlPath): Node | undefined {
    const n = this.reading.doc.getIn(path as (string | number)[], true);
    return n && typeof n === 'object' && 'range' in (n as object) ? (n as Node) : undefined;
  }

  /** The comment written after the value at `path` on its line (without the `#`), if any. */
  trailingComment(path: YamlPath): string | undefined {
    const n = this.node(path) as (Node & { comment?: string | null }) | undefined;
    return n?.comment ?? undefined;
  }

  /**
   * Where the value at `path` starts. With `key: true`, where its key starts (used for unknown keys). Falls back to
   * the nearest ancestor that exists, then to line 1, so a location is always available. The line and column are
   * worked out when first read: code that prepares a location in case of a problem costs nothing when there is none,
   * and yaml reads a text that js-yaml read only once a position is wanted.
   */
  locate(path: YamlPath, opts: { key?: boolean } = {}): SourceLocation {
    return this.lazyLocation(() => {
      for (let depth = path.length; depth >= 0; depth--) {
        const sub = path.slice(0, depth);
        const offset = opts.key && depth === path.length ? this.keyOffset(sub) : this.valueOffset(sub);
        if (offset !== undefined) return offset;
      }
      return undefined;
    });
  }

  /** `locate` as a finding's `{ file, line, column }`, worked out when first read, like `locate`'s. */
  place(path: YamlPath, opts: { key?: boolean } = {}): Place {
    const loc = this.locate(path, opts);
    return Object.defineProperties({ file: this.file } as Place, {
      line: { get: () => loc.line ?? 1, enumerable: true },
      column: { get: () => loc.column, enumerable: true },
    });
  }

  /** 1-based line of the value at `path` (or its nearest existing ancestor). */
  line(path: YamlPath, opts: { key?: boolean } = {}): number {
    return this.locate(path, opts).line ?? 1;
  }

  /** Location of an offset in the text (e.g. from a regex match on `text`). */
  locateOffset(offset: number): SourceLocation {
    return this.lazyLocation(() => offset);
  }

  /** A location in this file whose line and column are found from `offset()` when first read (1:1 without one). */
  private lazyLocation(offset: () => number | undefined): SourceLocation {
    let pos: { line: number; col: number } | undefined;
    const at = () => {
      if (pos === undefined) {
        const o = offset();
        pos = o === undefined ? { line: 1, col: 1 } : this.reading.lines.linePos(o);
      }
      return pos;
    };
    return Object.defineProperties({ file: this.file, abs: this.abs } as SourceLocation, {
      line: { get: () => at().line, enumerable: true },
      column: { get: () => at().col, enumerable: true },
    });
  }

  private valueOffset(path: YamlPath): number | undefined {
    if (path.length === 0) return this.reading.doc.contents?.range?.[0];
    return this.node(path)?.range?.[0];
  }

  private keyOffset(path: YamlPath): number | undefined {
    if (path.length === 0) return undefined;
    const parent = path.length === 1 ? this.reading.doc.contents : this.node(path.slice(0, -1));
    const last = path[path.length - 1];
    if (isMap(parent)) {
      for (const item of parent.items) {
        if (isPair(item) && isScalar(item.key) && item.key.value === last) return item.key.range?.[0];
      }
    }
    if (isSeq(parent) && typeof last === 'number') return (parent.items[last] as Node | undefined)?.range?.[0];
    return undefined;
  }
}
