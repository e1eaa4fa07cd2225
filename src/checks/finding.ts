import type { SourceDoc, YamlPath } from '../config/source.js';
import type { Finding, RuleId, Severity } from '../core/findings.js';

/** A finding at the value `at` in `doc` (or at its key, for a key that should not be there). */
export function findingAt(
  rule: RuleId,
  severity: Severity,
  doc: SourceDoc,
  at: YamlPath,
  message: string,
  opts: { key?: boolean } = {},
): Finding {
  const loc = doc.locate(at, opts);
  return { rule, severity, file: loc.file, line: loc.line ?? 1, column: loc.column, message, source: 'files' };
}
