import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);
import {
  LOCKFILE_NAME,
  emptyLock,
  loadConfig,
  loadProject,
  mergeLock,
  readBoolean,
  readChoice,
  readLock,
  resolveProject,
  serializeLock,
  writeLock
} from "./chunk-G4GV6KNX.js";
import "./chunk-ETCR5UQ5.js";
import "./chunk-7YOTLTN5.js";

// src/commands/lock.ts
var LOCK_INPUTS = ["config", "format", "force"];
var LOCK_OUTPUTS = ["lockfile", "changed"];
function readLockSettings(inputs) {
  return {
    config: inputs.get("config") ?? "tfaml.yml",
    format: readChoice(inputs, "format", ["text", "json"], "text"),
    force: readBoolean(inputs, "force", false)
  };
}
async function lock(inputs, out) {
  const s = readLockSettings(inputs);
  const config = loadConfig(s.config);
  const project = loadProject(config);
  const existing = readLock(config.root);
  const resolved = await resolveProject(project, { log: out.log });
  const merged = mergeLock(existing ?? emptyLock(), resolved, config.model?.name, { force: s.force });
  if (merged.conflicts.length > 0) {
    const lines = merged.conflicts.map(
      (c) => `${c.file}: ${c.kind} ${c.key} is locked as ${c.locked} but is now ${c.now}; a version is immutable: bump its version (or pass --force if this version never left your branch)`
    );
    if (s.format === "json") out.print(JSON.stringify({ written: false, conflicts: merged.conflicts }, null, 2) + "\n");
    else out.print(`${LOCKFILE_NAME} not written:
${lines.map((l) => `  ${l}`).join("\n")}
`);
    out.setOutput("changed", "false");
    return 1;
  }
  const before = existing ? serializeLock(existing) : void 0;
  const after = serializeLock(merged.lock);
  const changed = before !== after;
  if (changed) writeLock(config.root, merged.lock);
  const n = merged.lock;
  const what = `${Object.keys(n.environments).length} environments, ${Object.keys(n.data).length} data assets, ${Object.keys(n.models).length} models`;
  if (s.format === "json") out.print(JSON.stringify({ written: changed, added: merged.added, lock: merged.lock }, null, 2) + "\n");
  else out.print(`${LOCKFILE_NAME} ${changed ? "written" : "unchanged"}: ${what}${merged.added.length ? `; added ${merged.added.join(", ")}` : ""}
`);
  out.setOutput("lockfile", LOCKFILE_NAME);
  out.setOutput("changed", String(changed));
  return 0;
}
export {
  LOCK_INPUTS,
  LOCK_OUTPUTS,
  lock,
  readLockSettings
};
