/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file exists, and an anchor (`#set-up-in-five-
 * minutes`, `train.md#train-once`) is a heading of that file as GitHub renders it (github-slugger is the algorithm
 * github.com uses, duplicates numbered). Links are read by marked's lexer, so code spans and blocks are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import { Lexer, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

function walk(tokens: Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    const nested = t as {
      tokens?: Token[];
      items?: Token[];
      header?: { tokens: Token[] }[];
      rows?: { tokens: Token[] }[][];
    };
    if (nested.tokens) walk(nested.tokens, visit);
    if (nested.items) walk(nested.items, visit);
    for (const c of nested.header ?? []) walk(c.tokens, visit);
    for (const r of nested.rows ?? []) for (const c of r) walk(c.tokens, visit);
  }
}

/** The anchors GitHub gives a markdown file's headings, and the links it holds. */
function scan(text: string): { anchors: Set<string>; links: string[] } {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const links: string[] = [];
  walk(new Lexer().lex(text), (t) => {
    if (t.type === 'heading') anchors.add(slugger.slug((t as Tokens.Heading).text.replace(/`/g, '')));
    if (t.type === 'link' || t.type === 'image') links.push((t as Tokens.Link).href);
  });
  return { anchors, links };
}

/** What is wrong with one link of `page`, or undefined when it resolves. */
function broken(page: string, href: string, root = ROOT): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined; // https:, mailto: — not this test's business
  const [file, anchor] = href.split('#', 2) as [string, string | undefined];
  const target = file
    ? path.join(path.dirname(path.join(root, page)), decodeURIComponent(file))
    : path.join(root, page);
  if (!path.relative(root, target) || path.relative(root, target).startsWith('..'))
    return file ? `${href}: leads outside the repository` : undefined;
  if (!existsSync(target)) return `${href}: ${path.relative(root, target)} does not exist`;
  if (anchor === undefined) return undefined;
  if (statSync(target).isDirectory() || !target.endsWith('.md'))
    return `${href}: an anchor into a file that is not markdown`;
  const { anchors } = scan(readFileSync(target, 'utf8'));
  return anchors.has(anchor) ? undefined : `${href}: ${path.relative(root, target)} has no heading #${anchor}`;
}

describe('links in README.md and docs/', () => {
  it('reads headings and links as GitHub does', () => {
    const { anchors, links } = scan(
      '# Set up in five minutes\n\n## `tfaml.lock`\n\n## What tfaml survives\n\n## What tfaml survives\n\n' +
        'See [train](docs/train.md#train-once) and `[not](a-link.md)`.\n\n```\n[nor](this.md)\n```\n\n| a |\n|---|\n| [cell](x.md) |\n',
    );
    expect([...anchors]).toEqual([
      'set-up-in-five-minutes',
      'tfamllock',
      'what-tfaml-survives',
      'what-tfaml-survives-1',
    ]);
    expect(links).toEqual(['docs/train.md#train-once', 'x.md']);
  });

  it('names what is wrong with a broken link', () => {
    expect(broken('README.md', 'docs/nope.md')).toBe('docs/nope.md: docs/nope.md does not exist');
    expect(broken('README.md', 'docs/train.md#no-such-heading')).toBe(
      'docs/train.md#no-such-heading: docs/train.md has no heading #no-such-heading',
    );
    expect(broken('docs/train.md', '../../outside.md')).toBe('../../outside.md: leads outside the repository');
    expect(broken('docs/train.md', '#no-such-heading')).toBe(
      '#no-such-heading: docs/train.md has no heading #no-such-heading',
    );
    expect(broken('docs/train.md', 'https://example.com/x.md#y')).toBeUndefined();
  });

  it.each(PAGES)('every relative link and anchor in %s resolves', (page) => {
    const { links } = scan(readFileSync(path.join(ROOT, page), 'utf8'));
    expect(links.map((l) => broken(page, l)).filter(Boolean)).toEqual([]);
  });

  it('every page in docs/ is linked from the README or from a page the README links to', () => {
    const reached = new Set(['README.md']);
    const queue = ['README.md'];
    while (queue.length) {
      const page = queue.shift()!;
      for (const href of scan(readFileSync(path.join(ROOT, page), 'utf8')).links) {
        const file = href.split('#')[0]!;
        if (!file || /^[a-z][a-z0-9+.-]*:/i.test(file) || !file.endsWith('.md')) continue;
        const next = path.relative(ROOT, path.join(path.dirname(path.join(ROOT, page)), file));
        if (reached.has(next) || !existsSync(path.join(ROOT, next))) continue;
        reached.add(next);
        queue.push(next);
      }
    }
    expect(PAGES.filter((p) => !reached.has(p))).toEqual([]);
  });
});
