/**
 * The two readings of a YAML text (src/config/source.ts): js-yaml's plain reading, taken first, must give what
 * yaml's full reading gives, and yaml must accept every text js-yaml reads. Held here on the spec fuzzer's cases
 * (every mutator: garbage, directives, quotes, flow style, deep nesting, scalars of every kind) and on a table of
 * the YAML 1.2 core schema's corners.
 */
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullReading, plainReading, SourceDoc } from '../../src/config/source.js';
import { EXAMPLES } from '../helpers/project.js';
import { TARGETS, fuzzCase } from '../fuzz/cases.js';

/** What a text comes to by the plain reading, when it takes it: undefined, or a difference from yaml's. */
function difference(text: string): string | undefined {
  const plain = plainReading(text);
  if (plain === undefined) return undefined;
  let full: unknown;
  try {
    full = fullReading('f.yml', '/f.yml', text).value;
  } catch (err) {
    return `js-yaml read it, yaml refused it: ${(err as Error).message.split('\n')[0]}`;
  }
  return isDeepStrictEqual(plain.value, full)
    ? undefined
    : `js-yaml read ${JSON.stringify(plain.value)}, yaml ${JSON.stringify(full)}`;
}

const CORNERS = [
  'a: 0b11\nb: 1_000\nc: +.5\nd: 0o17\ne: 0x1F\nf: .inf\ng: -.Inf\nh: .NaN\ni: 1e3\nj: 1.\nk: 012\nl: ~\nm: Null\n',
  'n: yes\no: TRUE\np: 2024-01-01\nq: "\\u00e9\\x41\\t"\nt: 1:20\nu: -0\nv: 00\nw: +12\nx: 1e+3\ny: -.5e-2\nz: 0x\n',
  'r: |\n  x\n   y\ns: >-\n  a\n  b\n\n  c\nt: |+\n  keep\n\nu: >2\n   indented\n',
  'a: b # c\nd: "e" #f\ng: h#i\nj: \'it\'\'s\'\nk: "multi\n  line"\nl: plain\n  continued\n',
  'k: [1, {a: b}, "c", [], {}]\nl: {a: [1, 2], "b c": null, d: }\n',
  'x:\n  - a\n  -\n    b: 1\n  - - nested\n    - seq\n',
  '',
  '# only a comment\n',
  '---\na: 1\n...\n',
  'a: 1\n---\nb: 2\n',
  '- a\n- b\n',
  'just text',
  '"quoted"',
  '1: numeric\nnull: x\ntrue: y\n"": empty\n',
  'key with spaces: v\n"quoted key": v\n? explicit\n: v\n',
  'a:\n  b:\n    c:\n      d: deep\n',
  '{a: 1, a: 2}\n',
  'a: 1\na: 2\n',
  'a: [1, 2\n',
  'a: "open\n',
  '\ufeffa: bom\n',
  'a: 1\r\nb: 2\r\n',
  'a: 1\rb: 2\r',
  'a:    \n  # comment\n  b: 1\n',
  'ünï: cödé\n名前: 🧪\n',
];

describe('the plain reading gives what yaml gives', () => {
  it.each(CORNERS.map((t) => [JSON.stringify(t).slice(0, 60), t]))('%s', (_name, text) => {
    expect(difference(text)).toBeUndefined();
  });

  it('the example project is read plainly, to yaml’s values', () => {
    for (const t of TARGETS) {
      const text = readFileSync(path.join(EXAMPLES, t), 'utf8');
      expect(plainReading(text), t).toBeDefined();
      expect(difference(text), t).toBeUndefined();
    }
  });

  it('on 600 fuzzed specs: every text js-yaml reads, yaml reads to the same value', () => {
    const originals = Object.fromEntries(TARGETS.map((t) => [t, readFileSync(path.join(EXAMPLES, t), 'utf8')]));
    const bad: string[] = [];
    let plain = 0;
    let texts = 0;
    for (const seed of [114, 7, 2026]) {
      for (let i = 0; i < 200; i++) {
        const c = fuzzCase(seed, i, originals);
        for (const [file, content] of Object.entries(c.files)) {
          const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
          texts++;
          if (plainReading(text) !== undefined) plain++;
          const d = difference(text);
          if (d) bad.push(`seed ${seed} case ${i} (${c.name}) ${file}: ${d}`);
        }
      }
    }
    expect(bad.slice(0, 10).map((b) => b.slice(0, 1500))).toEqual([]);
    // Most texts take the plain reading, or the comparison tests little.
    expect(plain).toBeGreaterThan(texts / 3);
  }, 120_000);

  it('positions come from yaml, read when first asked for', () => {
    const doc = SourceDoc.parse('f.yml', '/f.yml', 'a:\n  b: [1, 2]\n  c: x # why\n');
    expect(doc.data).toEqual({ a: { b: [1, 2], c: 'x' } });
    expect(doc.locate(['a', 'b', 1])).toMatchObject({ line: 2, column: 10 });
    expect(doc.locate(['a', 'c'], { key: true })).toMatchObject({ line: 3, column: 3 });
    expect(doc.trailingComment(['a', 'c'])).toBe(' why');
  });
});
