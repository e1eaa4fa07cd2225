/**
 * A YAML file as the user wrote it, with every value's position kept so that a finding or an error can point at
 * file:line:column. Built on `yaml` (eemeli/yaml), which keeps source ranges on every node.
 */
import { diskFiles, type ProjectFiles } from './files.js';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ConfigurationError, readFailure, type SourceLocation } from '../core/errors.js';

export type YamlPath = readonly (string | number)[];

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
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
    if (doc.errors.length > 0) {
      // After the first syntax error the parser's view of the rest is a guess (one tab yields a dozen "errors" on
      // the lines below it): report the first, and the ones above it, which it cannot have caused.
      const first = Math.min(...doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY').map((e) => e.pos[0]));
      const shown = doc.errors.filter((e) => e.pos[0] <= first || (e.code === 'DUPLICATE_KEY' && e.pos[0] < first));
      const later = doc.errors.length - shown.length;
      throw ConfigurationError.all(
        shown.map((e) => {
          const pos = lines.linePos(e.pos[0]);
          const what = e.message.split('\n')[0] ?? e.message;
          const rest = later && e.pos[0] === first ? ' (the lines after it are checked once it parses)' : '';
          return new ConfigurationError(
            `this is not valid YAML: ${what.replace(/ at line \d+, column \d+:?$/, '')}; fix the syntax here${rest}`,
            { file, abs, line: pos.line, column: pos.col },
          );
        }),
      );
    }
    return new SourceDoc(file, abs, text, doc.toJS({ maxAliasCount: 100 }), doc, lines);
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
