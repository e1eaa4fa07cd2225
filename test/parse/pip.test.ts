import { describe, expect, it } from 'vitest';
import { parsePipLine, vcsRef } from '../../src/parse/pip.js';

// What the pip requirement parser reads; whether it is pinned enough is test/checks/conda.test.ts.

describe('pip requirement lines', () => {
  it('normalises names', () => {
    const line = parsePipLine('Typing_Extensions==4.9.0', { file: 'r.txt', line: 1 });
    expect(line.type === 'dependency' && line.dependency.key).toBe('typing-extensions');
  });

  it('finds the ref of a VCS URL, not the user of its host', () => {
    expect(vcsRef('git+ssh://git@github.com/o/r.git')).toBeUndefined();
    expect(vcsRef('git+ssh://git@github.com/o/r.git@v1#egg=r')).toBe('v1');
  });
});
