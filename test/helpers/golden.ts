/**
 * Golden files (habit 7): rendered text compared with test/golden/<folder>/<name>. `UPDATE_GOLDEN=1` writes them; a
 * missing one fails naming the command that writes it, so a new golden is always looked at before it is trusted.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const ROOT = path.resolve(__dirname, '../golden');

export function expectGolden(folder: string, name: string, actual: string): void {
  const file = path.join(ROOT, folder, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file))
    throw new Error(
      `the golden file test/golden/${folder}/${name} is missing; write it with UPDATE_GOLDEN=1 and review it`,
    );
  expect(actual, `test/golden/${folder}/${name} differs: UPDATE_GOLDEN=1 regenerates it`).toBe(
    readFileSync(file, 'utf8'),
  );
}
