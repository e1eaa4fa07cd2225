/** validate's workspace pass: open the workspace tfaml.yml names, check it exists, run the workspace checks. */
import { checkWorkspace } from '../../checks/workspace.js';
import type { Project } from '../../config/project.js';
import type { Finding } from '../../core/findings.js';
import type { Resolved } from '../../lock/resolve.js';
import type { Log } from '../../core/ports.js';
import { openWorkspace, type OpenOptions } from './index.js';

export async function workspaceFindings(
  project: Project,
  resolved: Resolved,
  log: Log,
  opts: OpenOptions = {},
): Promise<Finding[]> {
  const ref = project.config.workspace;
  if (!ref) return [];
  const ws = openWorkspace(ref, opts);
  await ws.check(); // a wrong subscription, group or workspace name fails here with which one
  log.info(`checking against ${ws.description}`);
  return checkWorkspace(project, resolved, ws, ref.name);
}
