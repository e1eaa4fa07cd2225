/**
 * Dockerfiles of `build:` environments: the images each `FROM` pulls (env/unpinned-image) and, best effort, the
 * packages `RUN pip install` / `conda install` put in without a pin (env/unpinned-package). The parsing is
 * parse/dockerfile.ts and parse/dockerfile-installs.ts; this is the policy.
 */
import type { Finding } from '../core/findings.js';
import { dockerfileDependencies, type DockerfileContext } from '../parse/dockerfile-installs.js';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile.js';
import { dependencyFindings } from './conda.js';
import { imageProblem } from './image.js';
import { quote } from '../core/inert.js';

/** env/unpinned-image findings for each FROM. */
export function fromFindings(file: string, df: ParsedDockerfile): Finding[] {
  const out: Finding[] = [];
  for (const f of df.froms) {
    if (f.kind === 'scratch' || f.kind === 'stage') continue;
    if (f.kind === 'unresolved') {
      const vars = f.unresolved.map((v) => quote(v)).join(', ');
      out.push({
        rule: 'env/unpinned-image',
        severity: 'error',
        file,
        line: f.line,
        message: `FROM ${quote(f.written)} cannot be resolved: ${vars} ${f.unresolved.length > 1 ? 'have' : 'has'} no default in an ARG before the first FROM, and Azure ML builds without build arguments, so which image this is cannot be told and it is not pinned; give it a pinned default: ARG ${f.unresolved[0]}=<image>:<tag>@sha256:<digest>`,
        source: 'files',
      });
      continue;
    }
    const p = imageProblem(f.image!, 'FROM');
    if (!p) continue;
    const via = f.argsUsed.length
      ? `FROM ${quote(f.written)} (${f.argsUsed.map((a) => `ARG ${a.name} on line ${a.line}`).join(', ')}): `
      : '';
    out.push({
      rule: 'env/unpinned-image',
      severity: p.severity,
      file,
      line: f.line,
      message: `${via}${p.message}`,
      source: 'files',
    });
  }
  return out;
}

/**
 * All Dockerfile findings: env/unpinned-image for each FROM and env/unpinned-package for what RUN installs.
 * Local paths installed in a Dockerfile are inside the build context, which is part of the environment's
 * definition, so they are not env/local-path-dependency findings.
 */
export function checkDockerfile(file: string, text: string, ctx?: DockerfileContext): Finding[] {
  const df = parseDockerfile(text);
  return [
    ...fromFindings(file, df),
    ...dependencyFindings(dockerfileDependencies(file, df, ctx), { includeLocal: false }),
  ];
}
