import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../src/lock/order.js';

describe('compareUtf8', () => {
  it('orders like the UTF-8 bytes', () => {
    const names = ['b', 'a/b', 'a.txt', '\u{1F600}', '\uFF21', '\uE000', '\uD7FF', 'a', ''];
    const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...names].sort(compareUtf8)).toEqual(byBytes);
  });
});
