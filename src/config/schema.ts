/**
 * tfaml.yml's JSON schema (schema/tfaml.schema.json, shipped in the package for editors and outside tooling) and
 * the translation of schema violations into errors a user can act on: each names file:line:column, and an
 * unknown key or enum value comes with the nearest valid spelling.
 */
import type { ErrorObject } from 'ajv';
import { ConfigurationError } from '../core/errors.js';
// Compiled from schema/tfaml.schema.json at build time (scripts/gen-validator.mjs): no schema compilation at start-up.
import validateTfaml from './generated/tfaml-validator.js';
import type { SourceDoc, YamlPath } from './source.js';
import { nearest } from '../core/nearest.js';

const HINTS: Record<string, string> = {
  owner: 'write a GitHub user as @login or a team as @org/team',
  'subscription-id': 'write the subscription id as a GUID, e.g. 00000000-0000-0000-0000-000000000000',
  'fine-tune': 'write none (frozen feature extraction) or top-<N>, e.g. top-2',
  region: 'write the region as Azure spells armRegionName, lower case with no spaces, e.g. eastus',
  currency: 'write a three-letter currency code, e.g. USD',
  project: 'use letters, digits, dots, dashes and underscores, starting with a letter or digit',
  name: 'use letters, digits, dashes and underscores, starting with a letter or digit',
  'resource-group': 'use letters, digits, dots, dashes, underscores and parentheses (at most 90)',
};

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describePath(path: YamlPath): string {
  if (path.length === 0) return 'the top level';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function translate(e: ErrorObject, doc: SourceDoc): ConfigurationError {
  const path = pathOf(e.instancePath);
  const where = describePath(path);
  const last = path[path.length - 1];
  const field =
    typeof last === 'string' ? last : typeof path[path.length - 2] === 'string' ? String(path[path.length - 2]) : '';
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const near = nearest(key, allowed);
      const fix = near ? `did you mean \`${near}\`?` : `valid keys here: ${allowed.join(', ')}`;
      return new ConfigurationError(
        `unknown key \`${key}\` in ${where}; ${fix}`,
        doc.locate([...path, key], { key: true }),
      );
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return new ConfigurationError(
        `${where} is missing the required key \`${key}\`; add it`,
        doc.locate(path, { key: true }),
      );
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const near = typeof e.data === 'string' ? nearest(e.data, allowed) : undefined;
      return new ConfigurationError(
        `${where} is ${shown(e.data)}; it must be one of ${allowed.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
        doc.locate(path),
      );
    }
    case 'const':
      return new ConfigurationError(
        `${where} is ${shown(e.data)}; it must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`,
        doc.locate(path),
      );
    case 'type': {
      const t = (e.params as { type: string }).type;
      const want = t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`;
      return new ConfigurationError(`${where} is ${shown(e.data)}; it must be ${want}`, doc.locate(path));
    }
    case 'pattern': {
      const hint = HINTS[field] ?? (path.includes('owners') ? HINTS.owner : undefined);
      return new ConfigurationError(
        `${where} is ${shown(e.data)}, which is not valid; ${hint ?? `it must match ${(e.params as { pattern: string }).pattern}`}`,
        doc.locate(path),
      );
    }
    case 'minLength': {
      const limit = (e.params as { limit: number }).limit;
      const fix =
        field === 'reason'
          ? '; say why this finding is accepted, e.g. "vendor image has no digests; tracked in #123"'
          : '';
      return new ConfigurationError(
        `${where} is ${limit > 1 ? `shorter than ${limit} characters` : 'empty'}${fix || '; fill it in'}`,
        doc.locate(path),
      );
    }
    case 'minProperties':
      if (path[0] === 'gates')
        return new ConfigurationError(
          `${where} names a metric but no threshold; add min, max, max-drop or max-drop-pct`,
          doc.locate(path),
        );
      return new ConfigurationError(
        `${where} is empty; ${path[path.length - 1] === 'production' ? 'choose one of local: true, registry: <name>, workspace: {...}' : 'fill it in or remove it'}`,
        doc.locate(path),
      );
    case 'maxProperties':
      return new ConfigurationError(
        `${where} names more than one registry; keep exactly one of local, registry, workspace`,
        doc.locate(path),
      );
    default:
      return new ConfigurationError(`${where} ${e.message ?? 'is not valid'}`, doc.locate(path));
  }
}

const MAX_SHOWN = 50;

/** Validate the parsed tfaml.yml against the schema; every violation is reported at once (the first MAX_SHOWN). */
export function checkSchema(doc: SourceDoc): void {
  if (validateTfaml(doc.data)) return;
  const all = validateTfaml.errors ?? [];
  // One error per position and message: allErrors can report the same problem through two keywords. At most
  // MAX_SHOWN: finding a key's place is a scan of its mapping, so 20,000 unknown keys took 24 s (a case of
  // test/fuzz/specs.test.ts), and nobody reads past the first screenful anyway.
  const seen = new Set<string>();
  const unique: ConfigurationError[] = [];
  for (let i = 0; i < all.length; i++) {
    const e = translate(all[i]!, doc);
    const k = `${e.location?.line}:${e.location?.column}:${e.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (unique.length === MAX_SHOWN) {
      unique.push(
        new ConfigurationError(
          `and up to ${all.length - i} more problems from here on; fix the ones above and run again`,
          e.location,
        ),
      );
      break;
    }
    unique.push(e);
  }
  throw ConfigurationError.all(unique);
}
