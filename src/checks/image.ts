/**
 * Container image references (`image:` of an Azure ML environment, `FROM` of a Dockerfile) and how firmly they are
 * pinned. A tag can be re-pushed; only a digest names one image for good.
 */
import type { Severity } from '../core/findings.js';
import { quote } from '../core/inert.js';

export interface ImageRef {
  /** As written. */
  text: string;
  /** The registry host (with port), when the first path component names one: `mcr.microsoft.com`, `myreg:5000`. */
  registry?: string;
  /** The repository path without registry, tag or digest: `azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04`. */
  repository: string;
  tag?: string;
  /** `algorithm:hex` as written after `@`. */
  digest?: string;
}

/** Split `[registry/]repo[:tag][@digest]`. A colon before the last `/` belongs to a registry port, not a tag. */
export function parseImageRef(text: string): ImageRef {
  const s = text.trim();
  const at = s.indexOf('@');
  const name = at >= 0 ? s.slice(0, at) : s;
  const digest = at >= 0 ? s.slice(at + 1) : undefined;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const path = colon > slash ? name.slice(0, colon) : name;
  const first = path.split('/')[0] ?? '';
  const hasRegistry = path.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    text: s,
    registry: hasRegistry ? first : undefined,
    repository: hasRegistry ? path.slice(first.length + 1) : path,
    tag: tag === '' ? undefined : tag,
    digest: digest === '' ? undefined : digest,
  };
}

export type ImagePin = 'pinned' | 'bad-digest' | 'no-tag' | 'latest' | 'tag-only';

const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

export function imagePin(ref: ImageRef): ImagePin {
  if (ref.digest !== undefined) return DIGEST.test(ref.digest) ? 'pinned' : 'bad-digest';
  if (ref.tag === undefined) return 'no-tag';
  if (ref.tag.toLowerCase() === 'latest') return 'latest';
  return 'tag-only';
}

/** The reference without its digest, for suggestions. */
function withoutDigest(ref: ImageRef): string {
  const i = ref.text.indexOf('@');
  return i >= 0 ? ref.text.slice(0, i) : ref.text;
}

function nameOnly(ref: ImageRef): string {
  return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
}

/**
 * What is wrong with an image reference and what to write instead, or undefined when it is pinned by digest.
 * `keyword` is how the line the user edits starts: `image:` in an environment file, `FROM` in a Dockerfile.
 */
export function imageProblem(
  text: string,
  keyword: 'image:' | 'FROM',
): { severity: Severity; message: string } | undefined {
  const ref = parseImageRef(text);
  const pin = imagePin(ref);
  const name = nameOnly(ref);
  const inspect = (r: string): string => `find it with \`docker buildx imagetools inspect ${r}\``;
  switch (pin) {
    case 'pinned':
      return undefined;
    case 'bad-digest':
      return {
        severity: 'error',
        message: `the image ${quote(ref.text)} has a digest that is not sha256:<64 hex characters>, so it cannot be pulled; write the full digest: ${keyword} ${withoutDigest(ref)}@sha256:<digest> (${inspect(withoutDigest(ref))})`,
      };
    case 'no-tag':
      return {
        severity: 'error',
        message: `the image ${quote(ref.text)} has no tag, so it means ${name}:latest, whatever that is when the environment is built; choose a version and pin it by digest: ${keyword} ${name}:<tag>@sha256:<digest> (${inspect(`${name}:<tag>`)})`,
      };
    case 'latest':
      return {
        severity: 'error',
        message: `the image ${quote(ref.text)} uses the tag \`latest\`, which moves with every release; choose a version and pin it by digest: ${keyword} ${name}:<tag>@sha256:<digest> (${inspect(`${name}:<tag>`)})`,
      };
    case 'tag-only':
      return {
        severity: 'warning',
        message: `the image ${quote(ref.text)} is pinned by tag only, and a tag can be pushed again with different content; pin the image by digest: ${keyword} ${ref.text}@sha256:<digest> (${inspect(ref.text)})`,
      };
  }
}
