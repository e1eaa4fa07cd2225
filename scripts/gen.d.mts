import type { VerbSpec } from '../src/verbs/index.js';

export function generate(verbs: readonly VerbSpec[], root?: string): Record<string, string>;
export function strayActions(verbs: readonly VerbSpec[], root?: string): string[];
export function loadVerbs(root?: string): Promise<VerbSpec[]>;
