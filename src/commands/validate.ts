/** validate: check the project's files (and, later, its workspace) against policy; annotate every finding. */
import path from 'node:path';
import { ignoredByGit, openBaseFiles, openBaseRef, trackedFiles } from '../adapters/local/git.js';
import { runChecks } from '../checks/index.js';
import { loadConfig } from '../config/load.js';
import { changedAssets, ownersOf, readBaseOwners } from '../config/owners.js';
import { judgingPolicy, policyOf, readBasePolicy } from '../config/policy.js';
import { loadProject } from '../config/project.js';
import { RULES, type Finding } from '../core/findings.js';
import { readLock, writeLock } from '../lock/lockfile.js';
import { mergeLock } from '../lock/merge.js';
import { resolveProject } from '../lock/resolve.js';
import { counts, toJson, toMarkdown, toText, type ValidateReport } from '../report/validate.js';
import { readBoolean, readChoice, type Inputs, type Output } from '../core/io.js';

/** validate's inputs, by their action.yml / CLI flag name. */

export interface ValidateSettings {
  /** Path of tfaml.yml (default ./tfaml.yml); every path inside it resolves against its folder. */
  config: string;
  /** `text` for people, `json` for tools (one JSON document on stdout). */
  format: 'text' | 'json';
  /** A git ref to compare with for env/version-not-bumped (the action passes the PR's base SHA). */
  base?: string;
  /** Also write tfaml.lock when there are no lock conflicts. */
  updateLock: boolean;
  /** With a workspace: how to authenticate (auto, oidc, client-secret, managed-identity, azure-login); env TFAML_AUTH. */
  auth?: string;
}

export function readValidateSettings(inputs: Inputs): ValidateSettings {
  return {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    base: inputs.get('base'),
    updateLock: readBoolean(inputs, 'update-lock', false),
    auth: inputs.get('auth'),
  };
}

export async function validate(inputs: Inputs, out: Output): Promise<number> {
  const s = readValidateSettings(inputs);
  const config = loadConfig(s.config, { knownRules: Object.keys(RULES) });
  // Only a project with a workspace loads the Azure adapter (and @azure/*): validate's cold start stays small.
  // TFAML_WORKSPACE_CHECKS=off skips it where no Azure credential exists (pull requests from forks). It is loaded
  // before any other work: validate's own bundle hands such a run to the full CLI there (src/entries/handoff.ts).
  const workspaceChecks =
    config.workspace && process.env.TFAML_WORKSPACE_CHECKS !== 'off'
      ? await import('../adapters/azure/validate.js')
      : undefined;
  const project = loadProject(config);
  const base = s.base ? openBaseRef(config.root, s.base) : undefined;
  const baseFiles = s.base ? openBaseFiles(config.root, s.base) : undefined;
  // With a base, policy.* and the known suppressions come from the base's tfaml.yml, which the PR cannot change.
  const judged = s.base
    ? judgingPolicy(policyOf(config), readBasePolicy(s.config, baseFiles!, s.base), s.base, ['policy.max-idle-seconds'])
    : undefined;
  // So do the owners who hear about the assets this PR changes.
  const baseOwners = baseFiles && readBaseOwners(s.config, baseFiles);
  const cc = base && baseOwners ? ownersOf(baseOwners, changedAssets(project, base, baseOwners)) : [];
  // A base without tfaml.yml has no suppressions: every one in this PR is new.
  const policy = judged && (judged.source.from === 'pr' ? { ...judged.policy, suppress: [] } : judged.policy);
  const lock = readLock(config.root);
  const resolved = await resolveProject(project, { log: out.log });
  const extra = workspaceChecks
    ? await workspaceChecks.workspaceFindings(project, resolved, out.log, { auth: s.auth })
    : [];
  const result = runChecks({
    project,
    resolved,
    lock,
    base,
    policy,
    extra: [...extra, ...committedCache(config.root)],
    runnerEnvironment: process.env.RUNNER_ENVIRONMENT,
  });

  const files =
    1 +
    project.environments.length +
    project.data.length +
    project.compute.length +
    project.jobs.length +
    project.endpoints.length;
  const report: ValidateReport = {
    ...result,
    project: config.project,
    config: s.config,
    base: s.base,
    policy: judged?.source,
    files,
    cc,
  };
  const json = toJson(report);
  out.print(s.format === 'json' ? JSON.stringify(json, null, 2) + '\n' : toText(report, { color: out.color === true }));

  if (s.updateLock) {
    const merged = mergeLock(
      lock ?? { lockfileVersion: 1, environments: {}, data: {}, models: {} },
      resolved,
      config.model?.name,
    );
    if (merged.conflicts.length === 0) {
      writeLock(config.root, merged.lock);
      out.log.info(`tfaml.lock updated${merged.added.length ? `: added ${merged.added.join(', ')}` : ''}`);
    } else {
      out.log.warning(
        'tfaml.lock not updated: some locked versions changed content (see env/immutable-conflict and data/hash-mismatch)',
      );
    }
  }

  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  for (const f of result.findings)
    out.annotate(f, path.relative(workspace, path.join(config.root, f.file)).split(path.sep).join('/'));
  await out.summary(toMarkdown(report));
  const c = counts(result);
  out.setOutput('errors', String(c.errors));
  out.setOutput('warnings', String(c.warnings));
  out.setOutput('report-json', JSON.stringify(json));
  return c.errors > 0 ? 1 : 0;
}

/**
 * `.tfaml/` holds caches, registries and checkpoints that tfaml never takes from a checkout on a runner
 * (src/core/cache.ts): a committed file there is dead weight at best, and at worst an attempt to steer a gate.
 */
function committedCache(root: string): Finding[] {
  const files = trackedFiles(root, '.tfaml');
  if (files.length === 0) {
    // Nothing committed yet: say so before `git add -A` does it.
    if (ignoredByGit(root, '.tfaml') !== false) return [];
    return [
      {
        rule: 'cache/not-ignored',
        severity: 'warning',
        file: '.gitignore',
        line: 1,
        message:
          'git does not ignore .tfaml/ (caches, registries, checkpoints), so `git add -A` would commit them; add `.tfaml/` to .gitignore (`tfaml init` does)',
        source: 'files',
      },
    ];
  }
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  return [
    {
      rule: 'cache/committed',
      severity: 'error',
      file: files[0]!,
      line: 1,
      message: `${files.length} file${files.length === 1 ? ' is' : 's are'} committed under .tfaml/ (${shown}); tfaml's caches and registries are never read from a checkout on a runner. Remove them with \`git rm -r --cached .tfaml\` and add \`.tfaml/\` to .gitignore`,
      source: 'files',
    },
  ];
}
