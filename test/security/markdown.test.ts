/**
 * Inert markdown: names from a pull request's files reach the PR comment and the job summary as text, never as a
 * mention, a link, an image, HTML or a broken table. Golden files keep the exact rendering of a hostile fixture.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cost } from '../../src/commands/cost.js';
import { validate } from '../../src/commands/validate.js';
import { inertMd, inertMessage, mdCode } from '../../src/core/inert.js';
import { capture, copyExample, inputs, patch } from '../helpers/project.js';
import { expectGolden } from '../helpers/golden.js';

const HOSTILE_NAME = '@acme/admins <img src=x> [login](https://evil.example) ![i](http://x/y.png) `code` a|b';

/** What GitHub would turn into something live: a mention, HTML, a link or image, an autolink, a cell break. */
function live(md: string): string[] {
  const found: string[] = [];
  if (/(^|[^\w&#;])@[a-z0-9]/i.test(md)) found.push('mention');
  if (/<(img|a|script|details)\b[^>]*src=|<img|<a /i.test(md)) found.push('html');
  if (/(?<!\\)\]\((?!#)/.test(md)) found.push('link');
  if (/\b(https?):\/\//i.test(md)) found.push('autolink');
  return found;
}

describe('inertMd and mdCode', () => {
  it.each([
    ['@acme/admins', '@&#8203;acme/admins'],
    ['<img src=x>', '&lt;img src=x&gt;'],
    ['[login](https://evil.example)', '\\[login\\](https&#8203;://evil.example)'],
    ['![i](x)', '\\!\\[i\\](x)'],
    ['a|b', 'a\\|b'],
    ['line\nbreak', 'line break'],
    ['Standard_NC6s_v3 × 2', 'Standard_NC6s_v3 × 2'],
    ['\\[not escaped\\]', '\\\\\\[not escaped\\\\\\]'],
  ])('%j → %j', (value, want) => expect(inertMd(value)).toBe(want));

  it("a message keeps tfaml's code spans and escapes the rest", () => {
    expect(inertMessage('pin it: `image: x@sha256:<digest>` [here](y)')).toBe(
      'pin it: `image: x@sha256:<digest>` \\[here\\](y)',
    );
  });

  it('a message with an odd backtick (one from a value) is escaped whole', () => {
    expect(inertMessage('image `x` named a`b <img>')).toBe('image \\`x\\` named a\\`b &lt;img&gt;');
  });

  it('a code span the value cannot leave', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', { table: true })).toBe('`a\\|b`');
  });

  it('the hostile name renders with nothing live', () => {
    expect(live(HOSTILE_NAME)).toEqual(['mention', 'html', 'link', 'autolink']);
    expect(live(inertMd(HOSTILE_NAME))).toEqual([]);
  });
});

describe('a hostile fixture through the reports', () => {
  it('the cost comment names the hostile deployment as text', async () => {
    const dir = copyExample();
    patch(dir, 'azureml/endpoints/blue.yml', /^name: blue$/m, `name: ${JSON.stringify(HOSTILE_NAME)}`);
    const out = capture('action');
    const code = await cost(inputs({ config: path.join(dir, 'tfaml.yml'), prices: 'snapshot' }), out);
    expect(code).toBe(0);
    expect(out.stdout).toContain('acme/admins');
    expect(live(out.stdout)).toEqual([]);
    expectGolden('security', 'cost-hostile-deployment.md', out.stdout);
  });

  it('the validate job summary shows a hostile image as text', async () => {
    const dir = copyExample();
    patch(
      dir,
      'azureml/environments/tf-gpu.yml',
      /^image: .*$/m,
      `image: ${JSON.stringify(`x:latest ${HOSTILE_NAME}`)}`,
    );
    const out = capture('action');
    expect(await validate(inputs({ config: path.join(dir, 'tfaml.yml') }), out)).toBe(1);
    const summary = out.summaries.join('\n');
    expect(summary).toContain('acme/admins');
    expect(live(summary)).toEqual([]);
    expectGolden(
      'security',
      'validate-hostile-image.md',
      summary.replaceAll(dir, '<project>').replace(/sha256:[0-9a-f]{12}…/g, 'sha256:…'),
    );
  });
});
