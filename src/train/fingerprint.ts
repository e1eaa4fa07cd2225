/**
 * The training fingerprint: one sha256 over everything that decides what a training run produces, so a run whose
 * fingerprint the experiment registry already holds need not happen again (train reuses that version, and main
 * promotes what the pull request trained). Pure: the callers gather the parts (src/train/local/fingerprint.ts,
 * src/train/azure/fingerprint.ts); this hashes them and picks the version to reuse.
 */
import { canonicalJson, sha256 } from '../core/canonical.js';
import { TAGS } from '../core/tags.js';

/** A name:version and the content hash behind it (null when nothing in the project can hash it). */
export interface VersionedContent {
  ref: string;
  hash: string | null;
}

/** Every part of a fingerprint; change any one and the fingerprint changes. */
export interface FingerprintParts {
  /**
   * The code that trains: for an Azure job the hash of its `code:` folder and its command line; for a local run the
   * trainer is tfaml's own, named by `tfamlMajor` below.
   */
  code: string;
  environment: VersionedContent;
  data: VersionedContent;
  /** The hub handle and the hash of its files. */
  hub: VersionedContent;
  settings: {
    epochs: number;
    batchSize: number;
    learningRate: number;
    validationSplit: number;
    seed: number;
    /** none | top-<N>, as written. */
    fineTune: string;
    inputShape: readonly number[];
    format: string;
    featureLayer: string | null;
    /** The backend the run trains on: tensorflow-gpu, tensorflow, wasm or cpu for a local run, azureml for a job. */
    backendFamily: string;
  };
  /** tfaml's major version: a release that changes what training produces is a major one. */
  tfamlMajor: number;
}

/** The scheme's own version, so a change in how parts are gathered never matches an older fingerprint. */
const SCHEME = 1;

export function trainingFingerprint(parts: FingerprintParts): string {
  return sha256(canonicalJson({ scheme: SCHEME, ...parts }));
}

/** The major version of a semver string (0 for 0.x). */
export function majorOf(version: string): number {
  const m = /^v?(\d+)\./.exec(version);
  if (!m) throw new Error(`tfaml's version ${JSON.stringify(version)} is not semver`);
  return Number(m[1]);
}

/** A registered version as far as reuse needs it (local ModelVersion and Azure RegisteredModel both fit). */
export interface Fingerprinted {
  version: string;
  tags: Record<string, string>;
  createdAt?: string;
}

/**
 * The version to reuse for a fingerprint: the newest version carrying it (by creation time, then by version number),
 * or undefined. The tag is compared here even when the registry filtered by it, so a registry that ignores the
 * filter can never hand back another model.
 */
export function findReusable<T extends Fingerprinted>(versions: readonly T[], fingerprint: string): T | undefined {
  const same = versions.filter((v) => v.tags[TAGS.fingerprint] === fingerprint);
  const num = (v: T) => (/^\d+$/.test(v.version) ? Number(v.version) : -1);
  return [...same].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || num(a) - num(b))[
    same.length - 1
  ];
}
