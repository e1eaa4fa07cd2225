/**
 * A YAML file as the user wrote it, with every value's position kept so that a finding or an error can point at
 * file:line:column. Built on `yaml` (eemeli/yaml), which keeps source ranges on every node.
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
import { ConfigurationError, readFailure, type SourceLocation } from '../core/errors.js';

export type YamlPath = readonly (string | number)[];

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

export class SourceDoc {
  private constructor(
    /** Path relative to the project root, forward slashes; this is what findings print. */
    readonly file: string,
    /** Absolute path on disk. */
    readonly abs: string,
    readonly text: string,
    /** The plain JavaScript value of the document. */
    readonly data: unknown,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parse YAML text. Syntax errors become one ConfigurationError naming each bad position. */
  static parse(file: string, abs: string, text: string): SourceDoc {
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
    return new SourceDoc(file, abs, text, plainValue(doc, at), doc, lines);
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
    const n = this.doc.getIn(path as (string | number)[], true);
    return n && typeof n === 'object' && 'range' in (n as object) ? (n as Node) : undefined;
  }

  /** The comment written after the value at `path` on its line (without the `#`), if any. */
  trailingComment(path: YamlPath): string | undefined {
    const n = this.node(path) as (Node & { comment?: string | null }) | undefined;
    return n?.comment ?? undefined;
  }

  /**
   * Where the value at `path` starts. With `key: true`, where its key starts (used for unknown keys). Falls back to
   * the nearest ancestor that exists, then to line 1, so a location is always available.
   */
  locate(path: YamlPath, opts: { key?: boolean } = {}): SourceLocation {
    for (let depth = path.length; depth >= 0; depth--) {
      const sub = path.slice(0, depth);
      const offset = opts.key && depth === path.length ? this.keyOffset(sub) : this.valueOffset(sub);
      if (offset !== undefined) {
        const pos = this.lines.linePos(offset);
        return { file: this.file, abs: this.abs, line: pos.line, column: pos.col };
      }
    }
    return { file: this.file, abs: this.abs, line: 1, column: 1 };
  }

  /** 1-based line of the value at `path` (or its nearest existing ancestor). */
  line(path: YamlPath, opts: { key?: boolean } = {}): number {
    return this.locate(path, opts).line ?? 1;
  }

  /** Location of an offset in the text (e.g. from a regex match on `text`). */
  locateOffset(offset: number): SourceLocation {
    const pos = this.lines.linePos(offset);
    return { file: this.file, abs: this.abs, line: pos.line, column: pos.col };
  }

  private valueOffset(path: YamlPath): number | undefined {
    if (path.length === 0) return this.doc.contents?.range?.[0];
    return this.node(path)?.range?.[0];
  }

  private keyOffset(path: YamlPath): number | undefined {
    if (path.length === 0) return undefined;
    const parent = path.length === 1 ? this.doc.contents : this.node(path.slice(0, -1));
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
