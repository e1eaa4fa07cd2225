/**
 * What the spec fuzzer (test/fuzz/specs.test.ts, bench/fuzz.mjs) found, one case each, at the layer that was fixed.
 * Every one used to end in exit 4 (a stack) or ran for seconds to minutes; each must be exit 2 at a file and line.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/commands/validate.js';
import { loadConfig } from '../../src/config/load.js';
import { SourceDoc } from '../../src/config/source.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { describeFailure } from '../../src/entries/main.js';
import { capture, copyExample, inputs, write } from '../helpers/project.js';

function parseFailure(text: string): ConfigurationError {
  try {
    SourceDoc.parse('f.yml', '/p/f.yml', text);
  } catch (err) {
    if (err instanceof ConfigurationError) return err;
    throw err;
  }
  throw new Error('parsed without an error');
}

const laughs = (levels: number) => {
  const out = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= levels; i++)
    out.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return out.join('\n') + '\n';
};

describe('aliases', () => {
  it('a "billion laughs" file is refused at its first alias, not expanded (was exit 4: a ReferenceError)', () => {
    const e = parseFailure(laughs(9));
    expect(e.message).toMatch(/aliases in this file expand too far.*at most 100 uses/);
    expect(e.location).toMatchObject({ file: 'f.yml', line: 2, column: 10 });
  });

  it('ordinary anchors and aliases still read', () => {
    const doc = SourceDoc.parse('f.yml', '/p/f.yml', 'a: &x { b: 1 }\nc: *x\nd: *x\n');
    expect(doc.data).toEqual({ a: { b: 1 }, c: { b: 1 }, d: { b: 1 } });
  });

  it('an alias inside the node it names is refused (was a value without end, exit 4 once walked)', () => {
    const e = parseFailure('version: 1\nowners: &o [*o]\n');
    expect(e.message).toMatch(/alias \*o is inside the node its anchor names/);
    expect(e.location).toMatchObject({ line: 2, column: 13 });
  });

  it('an alias with no anchor before it is a syntax error at the alias (was exit 4: a ReferenceError)', () => {
    const e = parseFailure('version: 1\nproject: *name\n');
    expect(e.message).toMatch(/alias \*name names no anchor set before it/);
    expect(e.location).toMatchObject({ line: 2, column: 10 });
  });
});

describe('large mappings', () => {
  const many = (n: number, extra = '') => Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join('\n') + '\n' + extra;

  it('a repeated key is found in one pass (yaml compared every key with every other: 7 s at 20,000)', () => {
    const e = parseFailure(many(20_000, 'k5: again\nk7: again\n'));
    expect([e, ...e.more].map((x) => [x.message, x.location?.line])).toEqual([
      ['this is not valid YAML: Map keys must be unique; fix the syntax here', 20_001],
      ['this is not valid YAML: Map keys must be unique; fix the syntax here', 20_002],
    ]);
  });

  it('a repeated key in a nested mapping or a flow mapping is still found', () => {
    expect(parseFailure('a:\n  b: 1\n  c: 2\n  b: 3\n').location).toMatchObject({ line: 4, column: 3 });
    expect(parseFailure('a: [{ x: 1, x: 2 }]\n').location).toMatchObject({ line: 1, column: 13 });
  });

  it('20,000 unknown keys in tfaml.yml: the first 50 and one line for the rest, all placed (was 24 s)', () => {
    const dir = copyExample();
    write(dir, 'tfaml.yml', `version: 1\nproject: p\nowners: ["@a"]\n${many(20_000)}`);
    let err: unknown;
    try {
      loadConfig(path.join(dir, 'tfaml.yml'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigurationError);
    const all = [err as ConfigurationError, ...(err as ConfigurationError).more];
    expect(all).toHaveLength(51);
    expect(all[0]!.location).toMatchObject({ file: 'tfaml.yml', line: 4, column: 1 });
    expect(all[50]!.message).toBe('and up to 19950 more problems from here on; fix the ones above and run again');
    expect(all[50]!.location).toMatchObject({ line: 54 });
  });
});

describe('through validate', () => {
  it.each([
    ['a billion laughs', laughs(9)],
    ['a circular alias', 'version: 1\nproject: p\nowners: &o [*o]\n'],
    ['nesting deeper than the parser goes', `version: 1\nproject: p\nowners: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
  ])('%s in tfaml.yml is exit 2 at a line', async (_name, text) => {
    const dir = copyExample();
    write(dir, 'tfaml.yml', text);
    const failure = await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), capture()).then(
      () => undefined,
      (err: unknown) => ({ err, ...describeFailure(err) }),
    );
    expect(failure?.exitCode).toBe(2);
    const e = failure!.err as ConfigurationError;
    expect(e.message).not.toMatch(/call stack/);
    for (const x of [e, ...e.more]) expect(x.location).toMatchObject({ file: 'tfaml.yml', line: expect.any(Number) });
  });
});
