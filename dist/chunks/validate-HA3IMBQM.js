import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);
import {
  LOCKFILE_NAME,
  SourceDoc,
  canonicalJson,
  environmentDefinition,
  loadConfig,
  loadProject,
  mergeLock,
  parseHubHandle,
  readBoolean,
  readChoice,
  readLock,
  relPath,
  require_dist,
  resolveProject,
  writeLock
} from "./chunk-G4GV6KNX.js";
import {
  ConfigurationError,
  UsageError
} from "./chunk-ETCR5UQ5.js";
import {
  __toESM
} from "./chunk-7YOTLTN5.js";

// src/commands/validate.ts
import path7 from "node:path";

// src/adapters/local/git.ts
import { execFileSync } from "node:child_process";
import path from "node:path";
function git(cwd, args) {
  try {
    const out = execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
    return { ok: true, out, err: "" };
  } catch (e) {
    const x = e;
    if (x.code === "ENOENT") throw new UsageError("--base needs git, and git is not on PATH; install git or leave out --base");
    return { ok: false, out: x.stdout ?? "", err: (x.stderr ?? "").trim() };
  }
}
function openBaseRef(projectRoot, ref) {
  const top = git(projectRoot, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) throw new UsageError(`--base ${ref}: ${projectRoot} is not inside a git repository, so there is nothing to compare with; run validate without --base, or from a git checkout`);
  const commit = git(projectRoot, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!commit.ok) {
    throw new UsageError(`--base ${ref} is not a commit in this repository; pass a branch, tag or SHA that exists (in a workflow, fetch it first: actions/checkout with fetch-depth: 0, or git fetch origin ${ref})`);
  }
  const sha = commit.out.trim();
  const toplevel = top.out.trim();
  const prefix = path.relative(toplevel, projectRoot).split(path.sep).join("/");
  const inRepo = (p) => prefix ? `${prefix}/${p}` : p;
  return {
    name: ref,
    readFile(p) {
      const r = git(toplevel, ["show", `${sha}:${inRepo(p)}`]);
      return r.ok ? r.out : void 0;
    },
    changedSince(p) {
      const diff = git(toplevel, ["diff", "--quiet", sha, "--", inRepo(p)]);
      if (!diff.ok) return true;
      const untracked = git(toplevel, ["ls-files", "--others", "--exclude-standard", "--", inRepo(p)]);
      return untracked.out.trim() !== "";
    }
  };
}

// src/findings.ts
var RULES = {
  "env/unpinned-image": "image with no tag, `latest`, or a tag without a digest (error / error / warning); the same for each `FROM` of a `build:` context's Dockerfile",
  "env/missing-version": "an environment YAML without an explicit `version` (the CLI would auto-increment it)",
  "env/unpinned-package": "conda or pip dependency without an exact pin (conda `=x.y.z`, pip `==x.y.z`)",
  "env/local-path-dependency": "a dependency on a local path, `file:`, or an editable install",
  "env/cuda-mismatch": "the tensorflow pin does not match the CUDA/cuDNN of the base image, the python version, or the GPU of the compute",
  "env/version-not-bumped": "the definition (image, conda file, build context) changed against the base ref, the version did not",
  "env/immutable-conflict": "the same name:version is locked or registered with different content",
  "data/floating-version": "a data asset reference with `@latest`/a label or without a version (error); a raw datastore, URL or local path (warning)",
  "data/hash-mismatch": "the local copy's content differs from tfaml.lock for the same version",
  "model/unpinned-handle": "a hub handle without a version",
  "model/hash-mismatch": "the model files differ from tfaml.lock",
  "model/finetune-policy": "fine-tune missing, or impossible for the format (top-N needs layers)",
  "compute/not-ephemeral": "min_instances above 0, or idle_time_before_scale_down missing or above the policy",
  "stage/production-uses-experimental": "a production job or asset refers to an experimental environment or data",
  "owner/missing": "no owners, or an asset with no owner",
  "job/floating-environment": "a job whose environment is inline, `@<label>`, or a registry `labels/` reference",
  "lock/missing-entry": "an environment, data asset or hub model that tfaml.lock does not record yet (run `tfaml lock`)",
  "suppress/unused": "a suppression that matched no finding (remove it, or fix its rule or path)"
};
function compareFindings(a, b) {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

// src/checks/finding.ts
function findingAt(rule, severity, doc, at, message, opts = {}) {
  const loc = doc.locate(at, opts);
  return { rule, severity, file: loc.file, line: loc.line ?? 1, column: loc.column, message, source: "files" };
}

// src/checks/compute.ts
function checkCompute(project) {
  const out = [];
  const max = project.config.policy.maxIdleSeconds;
  for (const c of project.compute) {
    const type = (c.type ?? "").toLowerCase();
    if (type === "computeinstance" || type === "compute_instance") {
      out.push(findingAt("compute/not-ephemeral", "error", c.doc, ["type"], `${c.name} is a compute instance: a long-lived VM that drifts and bills while idle; train on an amlcompute cluster with min_instances: 0`));
      continue;
    }
    if (type !== "amlcompute") continue;
    if ((c.minInstances ?? 0) > 0) {
      out.push(findingAt("compute/not-ephemeral", "error", c.doc, ["min_instances"], `min_instances is ${c.minInstances}, so ${c.minInstances} node(s) run and bill even with no job; set min_instances: 0`));
    }
    if (c.idleSeconds === void 0) {
      out.push(findingAt("compute/not-ephemeral", "warning", c.doc, ["name"], `idle_time_before_scale_down is not set, so the service default decides how long idle nodes bill; set it explicitly, at most ${max} (seconds)`));
    } else if (c.idleSeconds > max) {
      out.push(findingAt("compute/not-ephemeral", "error", c.doc, ["idle_time_before_scale_down"], `idle nodes stay up ${c.idleSeconds} s after a job, above the policy of ${max} s; lower idle_time_before_scale_down to ${max} or less (or raise policy.max-idle-seconds in tfaml.yml)`));
    }
  }
  return out;
}

// src/config/refs.ts
function parseAssetRef(text) {
  const s = text.trim();
  let m;
  if (m = s.match(/^azureml:\/\/registries\/([^/]+)\/([^/]+)\/([^/]+)\/versions\/([^/]+)\/?$/i)) {
    return { kind: "registry-versioned", registry: m[1], assetType: m[2], name: m[3], version: m[4] };
  }
  if (m = s.match(/^azureml:\/\/registries\/([^/]+)\/([^/]+)\/([^/]+)\/labels\/([^/]+)\/?$/i)) {
    return { kind: "registry-label", registry: m[1], assetType: m[2], name: m[3], label: m[4] };
  }
  if (m = s.match(/^azureml:\/\/registries\/([^/]+)\/([^/]+)\/([^/@]+)@([^/]+)\/?$/i)) {
    return { kind: "registry-label", registry: m[1], assetType: m[2], name: m[3], label: m[4] };
  }
  if (m = s.match(/^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/i)) {
    return { kind: "datastore", datastore: m[1], path: m[2] };
  }
  if (m = s.match(/^azureml:\/\/(?:subscriptions|locations)\/.*\/([^/]+)\/([^/]+)\/versions\/([^/]+)\/?$/i)) {
    return { kind: "workspace-versioned", assetType: m[1], name: m[2], version: m[3] };
  }
  if (/^azureml:\/\//i.test(s)) return { kind: "other", text: s };
  if (m = s.match(/^azureml:([^:@/]+)@(.+)$/i)) return { kind: "label", name: m[1], label: m[2] };
  if (m = s.match(/^azureml:([^:@/]+):([^:@/]+)$/i)) return { kind: "versioned", name: m[1], version: m[2] };
  if (m = s.match(/^azureml:([^:@/]+)$/i)) return { kind: "unversioned", name: m[1] };
  if (m = s.match(/^file:(.+)$/i)) return { kind: "file", path: m[1] };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return { kind: "url", url: s };
  if (s.startsWith("./") || s.startsWith("../") || s.startsWith("/") || /^[\w.-]+(\/[\w.-]*)*$/.test(s)) return { kind: "local", path: s };
  return { kind: "other", text: s };
}

// src/checks/data.ts
var MODEL_INPUT_TYPES = /* @__PURE__ */ new Set(["mlflow_model", "custom_model", "triton_model"]);
function checkData(project) {
  const out = [];
  for (const d of project.data) {
    if (d.version === void 0) {
      out.push(findingAt("data/floating-version", "error", d.doc, ["name"], `data asset ${d.name} has no \`version\`, so every registration makes a new one and jobs cannot pin it; add \`version: "1"\` and bump it whenever the data changes`));
    }
  }
  for (const job of project.jobs) {
    for (const input of job.inputs) {
      if (input.type && MODEL_INPUT_TYPES.has(input.type)) continue;
      const r = parseAssetRef(input.value);
      const what = `input \`${input.name}\``;
      switch (r.kind) {
        case "label":
          out.push(findingAt("data/floating-version", "error", job.doc, input.at, `${what} uses ${input.value}, which moves whenever someone registers a new version; pin it: azureml:${r.name}:<version>`));
          break;
        case "unversioned":
          out.push(findingAt("data/floating-version", "error", job.doc, input.at, `${what} names data asset ${r.name} without a version; pin it: azureml:${r.name}:<version>`));
          break;
        case "registry-label":
          out.push(findingAt("data/floating-version", "error", job.doc, input.at, `${what} follows the label \`${r.label}\` in registry ${r.registry}; pin it: azureml://registries/${r.registry}/${r.assetType}/${r.name}/versions/<version>`));
          break;
        case "datastore":
        case "url":
        case "local":
          out.push(findingAt("data/floating-version", "warning", job.doc, input.at, `${what} reads ${input.value} directly, which has no version: the data can change under the same job; register it as a data asset and refer to it as azureml:<name>:<version>`));
          break;
        default:
          break;
      }
    }
  }
  return out;
}

// src/checks/environment.ts
import { readFileSync as readFileSync3 } from "node:fs";
import path5 from "node:path";

// src/config/links.ts
import path2 from "node:path";
function findEnvironment(project, fromFile, ref) {
  if (ref === void 0 || typeof ref !== "string") return void 0;
  const r = parseAssetRef(ref);
  if (r.kind === "versioned" || r.kind === "workspace-versioned") return project.environments.find((e) => e.name === r.name && e.version === r.version);
  if (r.kind === "file" || r.kind === "local") {
    const target = relPath(path2.posix.join(path2.posix.dirname(fromFile), r.path));
    return project.environments.find((e) => e.doc.file === target);
  }
  return void 0;
}
function findCompute(project, ref) {
  if (ref === void 0) return void 0;
  const name = ref.replace(/^azureml:/i, "");
  return project.compute.find((c) => c.name === name);
}
function findData(project, ref) {
  const r = parseAssetRef(ref);
  if (r.kind === "versioned" || r.kind === "workspace-versioned") return project.data.find((d) => d.name === r.name && d.version === r.version);
  return void 0;
}

// src/checks/conda.ts
import { readFileSync } from "node:fs";
import path3 from "node:path";
function normalizeName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
function isShortVersion(v) {
  return /^\d+(\.\d+)?$/.test(v);
}
function stripWildcard(v) {
  const m = v.match(/^(.*?)(\.?\*)$/);
  return m ? { version: m[1], wildcard: true } : { version: v, wildcard: false };
}
function pipConstraint(spec) {
  const s = spec.trim().replace(/^\((.*)\)$/, "$1").trim();
  if (s === "") return { constraint: "none" };
  const clauses = s.split(",").map((c) => c.trim()).filter((c) => c !== "");
  const parsed = clauses.map((c) => c.match(/^(===|==|!=|~=|>=|<=|>|<)\s*(\S+)$/));
  if (parsed.some((p) => p === null)) return { constraint: "range" };
  for (const p of parsed) {
    const [, op, v] = p;
    if (op === "===") return { constraint: "exact", version: v };
    if (op === "==" && !v.includes("*")) return { constraint: "exact", version: v };
  }
  if (parsed.length === 1 && parsed[0][1] === "==") {
    const { version } = stripWildcard(parsed[0][2]);
    return { constraint: "fuzzy", version };
  }
  return { constraint: "range" };
}
function condaVersion(v, op) {
  if (v === "") return { constraint: "none" };
  if (/[<>!~,|]/.test(v) || v === "*") return { constraint: "range" };
  const { version, wildcard } = stripWildcard(v);
  if (wildcard) return { constraint: "fuzzy", version };
  return { constraint: op === "=" ? "fuzzy" : "exact", version };
}
function parseCondaSpec(written, location) {
  const text = written.trim();
  let s = text;
  let channel;
  const cc = s.indexOf("::");
  if (cc >= 0) {
    channel = s.slice(0, cc);
    s = s.slice(cc + 2);
  }
  let bracket = {};
  const b = s.match(/^([^[]*)\[(.*)\]\s*$/);
  if (b) {
    s = b[1];
    bracket = Object.fromEntries(
      [...b[2].matchAll(/([A-Za-z_]+)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^,\s]*))/g)].map((m2) => [m2[1].toLowerCase(), m2[2] ?? m2[3] ?? m2[4] ?? ""])
    );
  }
  const m = s.match(/^([A-Za-z0-9_][A-Za-z0-9_.+-]*?)((?:\s|[=<>!~]).*)?$/);
  const name = m?.[1] ?? s;
  const rest = (m?.[2] ?? "").trimEnd();
  let spec = rest.trim();
  let build = bracket.build;
  let judged;
  if (bracket.version !== void 0 && rest.trim() === "") {
    spec = bracket.version;
    const v = bracket.version.trim();
    judged = v.startsWith("==") ? condaVersion(v.slice(2), "==") : v.startsWith("=") ? condaVersion(v.slice(1), "=") : condaVersion(v, "");
  } else if (rest === "") {
    judged = { constraint: "none" };
  } else if (/^\s/.test(rest)) {
    const [v = "", bs] = rest.trim().split(/\s+/);
    if (bs !== void 0) build = bs;
    judged = v.startsWith("==") ? condaVersion(v.slice(2), "==") : v.startsWith("=") ? condaVersion(v.slice(1), "=") : condaVersion(v, "");
  } else if (rest.startsWith("==")) {
    const [v = "", bs] = rest.slice(2).split("=");
    if (bs !== void 0) build = bs;
    judged = condaVersion(v.trim(), "==");
  } else if (rest.startsWith("=") && !/^=[<>]/.test(rest)) {
    const [v = "", bs] = rest.slice(1).split("=");
    if (bs !== void 0) build = bs;
    judged = condaVersion(v.trim(), "=");
  } else {
    judged = { constraint: "range" };
  }
  return {
    manager: "conda",
    kind: "package",
    text,
    name,
    key: normalizeName(name),
    spec,
    constraint: judged.constraint,
    version: judged.version,
    extras: [],
    channel,
    build,
    location
  };
}
var VCS = /^(git|hg|svn|bzr)\+/i;
var URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
function isLocalPath(s) {
  if (/^(file:|git\+file:)/i.test(s)) return true;
  if (URL_SCHEME.test(s) && !/^[A-Za-z]:[\\/]/.test(s)) return false;
  if (/^(\.|\/|~|[A-Za-z]:[\\/])/.test(s)) return true;
  if (/[/\\]/.test(s)) return true;
  return /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/i.test(s);
}
function eggName(url) {
  return url.match(/[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/)?.[1] ?? "";
}
function vcsRef(url) {
  const noFragment = url.split("#")[0] ?? url;
  const m = noFragment.match(/^[a-z0-9+.-]+:\/\/[^/]*(\/.*)?$/i);
  const pathPart = m ? m[1] ?? "" : noFragment;
  const at = pathPart.lastIndexOf("@");
  return at >= 0 ? pathPart.slice(at + 1) : void 0;
}
function urlDependency(manager, text, name, url, location, extra = {}) {
  const kind = isLocalPath(url) ? "local" : VCS.test(url) ? "vcs" : URL_SCHEME.test(url) ? "url" : "local";
  const n = name || eggName(url);
  return {
    manager,
    kind,
    text,
    name: n,
    key: normalizeName(n),
    spec: "",
    constraint: "none",
    extras: [],
    url,
    location,
    ...extra,
    hashed: extra.hashed || /#(sha256|sha384|sha512)=/i.test(url)
  };
}
function optionValue(line, short, long) {
  const l = line.trim();
  if (short && l.startsWith(short)) {
    const rest = l.slice(short.length);
    if (rest === "") return "";
    if (/^[\s=]/.test(rest)) return rest.replace(/^[\s=]+/, "").trim();
    if (!rest.startsWith("-")) return rest.trim();
  }
  if (l === long) return "";
  if (l.startsWith(long) && /^[\s=]/.test(l.slice(long.length))) return l.slice(long.length).replace(/^[\s=]+/, "").trim();
  return void 0;
}
function parsePipLine(written, location, manager = "pip") {
  const line = written.replace(/(^|\s)#.*$/, "").trim();
  if (line === "") return { type: "ignored" };
  if (line.startsWith("-")) {
    const req2 = optionValue(line, "-r", "--requirement");
    if (req2 !== void 0) return req2 === "" ? { type: "ignored" } : { type: "include", file: req2, constraint: false };
    const con = optionValue(line, "-c", "--constraint");
    if (con !== void 0) return con === "" ? { type: "ignored" } : { type: "include", file: con, constraint: true };
    const ed = optionValue(line, "-e", "--editable");
    if (ed !== void 0 && ed !== "") {
      const target = ed.replace(/\s+--?[a-z].*$/i, "");
      const named2 = target.match(/^([A-Za-z0-9][A-Za-z0-9._-]*)\s*@\s*(.+)$/);
      return {
        type: "dependency",
        dependency: urlDependency(manager, line, named2?.[1] ?? "", named2?.[2]?.trim() ?? target, location, { editable: true })
      };
    }
    return { type: "ignored" };
  }
  const opt = line.search(/\s--?[a-z]/i);
  const req = (opt >= 0 ? line.slice(0, opt) : line).trim();
  const hashed = opt >= 0 && /\s--hash[=\s]/.test(line.slice(opt));
  const named = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(req);
  const head = req.split(/\s+;/)[0].trim();
  if (!named && (URL_SCHEME.test(head) && !/^[A-Za-z]:[\\/]/.test(head) || isLocalPath(head))) {
    const [url = "", marker2] = req.split(/\s+;\s*/);
    return { type: "dependency", dependency: urlDependency(manager, req, "", url.trim(), location, { hashed, marker: marker2?.trim() }) };
  }
  const m = req.match(/^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*)$/s);
  if (!m) {
    return {
      type: "dependency",
      dependency: { manager, kind: "package", text: req, name: req, key: normalizeName(req), spec: "", constraint: "none", extras: [], location }
    };
  }
  const name = m[1];
  const extras = (m[2] ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "");
  let rest = m[3].trim();
  if (rest.startsWith("@")) {
    const [url = "", marker2] = rest.slice(1).trim().split(/\s+;\s*/);
    return { type: "dependency", dependency: urlDependency(manager, req, name, url.trim(), location, { extras, hashed, marker: marker2?.trim() }) };
  }
  let marker;
  const semi = rest.indexOf(";");
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi).trim();
  }
  const judged = pipConstraint(rest);
  return {
    type: "dependency",
    dependency: {
      manager,
      kind: "package",
      text: req,
      name,
      key: normalizeName(name),
      spec: rest,
      constraint: judged.constraint,
      version: judged.version,
      extras,
      marker,
      hashed,
      location
    }
  };
}
function projectRelative(fromFile, target) {
  if (path3.isAbsolute(target)) return target.replace(/\\/g, "/");
  return path3.posix.normalize(path3.posix.join(path3.posix.dirname(fromFile), target.replace(/\\/g, "/")));
}
function readRequirements(file, from, ctx, manager = "pip") {
  const abs = path3.isAbsolute(file) ? file : path3.join(ctx.root, file);
  const seen = ctx.seen ?? (ctx.seen = /* @__PURE__ */ new Set());
  if (seen.has(abs)) return [];
  seen.add(abs);
  let text;
  try {
    text = readFileSync(abs, "utf8");
  } catch (err) {
    const code = err.code;
    const why = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? String(err)})`;
    ctx.errors.push(
      new ConfigurationError(
        `the requirements file ${file} ${why}; fix the path after -r (it resolves against the folder of ${from.file}) or move its lines into this list`,
        from
      )
    );
    return [];
  }
  return parseRequirementsText(file, text, ctx, manager);
}
function parseRequirementsText(file, text, ctx, manager = "pip") {
  const out = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const first = i;
    let line = physical[i];
    while (/\\\s*$/.test(line) && i + 1 < physical.length) line = line.replace(/\\\s*$/, " ") + physical[++i];
    const column = (line.match(/^\s*/)?.[0].length ?? 0) + 1;
    const location = { file, line: first + 1, column };
    const parsed = parsePipLine(line, location, manager);
    if (parsed.type === "dependency") out.push(parsed.dependency);
    else if (parsed.type === "include" && !parsed.constraint) out.push(...readRequirements(projectRelative(file, parsed.file), location, ctx, manager));
  }
  return out;
}
function parseConda(doc, root, ctx) {
  const data = doc.data;
  const own = ctx ?? { root, errors: [] };
  const env = { file: doc.file, channels: [], dependencies: [], includes: [] };
  if (!data || typeof data !== "object" || Array.isArray(data)) return env;
  if (typeof data.name === "string") env.name = data.name;
  if (Array.isArray(data.channels)) env.channels = data.channels.filter((c) => typeof c === "string");
  const deps = data.dependencies;
  if (!Array.isArray(deps)) return env;
  const at = (p) => {
    const loc = doc.locate(p);
    return { file: doc.file, line: loc.line ?? 1, column: loc.column };
  };
  deps.forEach((d, i) => {
    if (typeof d === "string" || typeof d === "number") {
      env.dependencies.push(parseCondaSpec(String(d), at(["dependencies", i])));
    } else if (d && typeof d === "object" && !Array.isArray(d) && Array.isArray(d.pip)) {
      d.pip.forEach((p, j) => {
        if (typeof p !== "string" && typeof p !== "number") return;
        const location = at(["dependencies", i, "pip", j]);
        const parsed = parsePipLine(String(p), location);
        if (parsed.type === "dependency") env.dependencies.push(parsed.dependency);
        else if (parsed.type === "include" && !parsed.constraint) {
          const file = projectRelative(doc.file, parsed.file);
          env.includes.push({ file, location, text: String(p).trim() });
          env.dependencies.push(...readRequirements(file, location, own));
        }
      });
    }
  });
  if (!ctx && own.errors.length > 0) throw ConfigurationError.all(own.errors);
  return env;
}
var FULL = /^[0-9a-f]{40}$/i;
function dependencyProblem(dep) {
  const label = `\`${dep.text}\``;
  const show = dep.manager === "pip" ? "pip show" : "conda list";
  if (dep.kind === "local" || dep.editable) {
    const what = dep.editable ? "an editable install" : "a local path";
    return {
      rule: "env/local-path-dependency",
      severity: "error",
      message: `${label} is ${what}: the environment's content then depends on files outside its definition, which are not versioned with it (and the Azure ML image build cannot see them); publish the package to a feed and pin it (${dep.name || "<name>"}==<x.y.z>), or pin a VCS commit (git+https://\u2026@<40-character commit>)`
    };
  }
  if (dep.kind === "vcs") {
    const ref = vcsRef(dep.url ?? "");
    if (ref !== void 0 && FULL.test(ref)) return void 0;
    const base = (dep.url ?? "").split("#")[0];
    const repo = ref !== void 0 ? base.slice(0, base.length - ref.length - 1) : base;
    return {
      rule: "env/unpinned-package",
      severity: "error",
      message: ref === void 0 ? `${label} names no commit, so every build takes the default branch as it is then; pin a full commit: ${repo}@<40-character commit sha>` : `${label} names \`${ref}\`, a branch, tag or short sha that can move or become ambiguous; pin the full 40-character commit: ${repo}@<commit sha> (\`git rev-parse ${ref}\` shows it)`
    };
  }
  if (dep.kind === "url") {
    if (dep.hashed) return void 0;
    const file = (dep.url ?? "").split(/[?#]/)[0].split("/").pop() ?? "";
    const versioned = /-\d[^/]*\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(file);
    return {
      rule: "env/unpinned-package",
      severity: versioned ? "warning" : "error",
      message: versioned ? `${label} is pinned by file name only: the content at a URL can change; add its hash: ${dep.url}#sha256=<hash> (\`pip hash <file>\` prints it)` : `${label} is a URL whose content can change between builds; point it at a versioned file and add its hash (\u2026#sha256=<hash>), or install a pinned release (name==<x.y.z>)`
    };
  }
  if (dep.manager === "conda" && dep.build && !dep.build.includes("*") && (dep.constraint === "exact" || dep.constraint === "fuzzy")) return void 0;
  const name = dep.name;
  const op = dep.manager === "pip" ? "==" : "=";
  const example = (v) => `${name}${op}${v ?? "<x.y.z>"}`;
  switch (dep.constraint) {
    case "exact":
      if (dep.version !== void 0 && isShortVersion(dep.version)) {
        return {
          rule: "env/unpinned-package",
          severity: "warning",
          message: `${label} names the series ${dep.version}, not a release (${dep.manager === "pip" ? `pip reads it as ${dep.version}${dep.version.includes(".") ? "" : ".0"}.0` : "a patch is not named"}); pin the full version x.y.z: ${example(`${dep.version}.<patch>`)}`
        };
      }
      return void 0;
    case "fuzzy":
      if (dep.version !== void 0 && !isShortVersion(dep.version)) return void 0;
      if (dep.version !== void 0 && dep.version.includes(".")) {
        return {
          rule: "env/unpinned-package",
          severity: "warning",
          message: `${label} matches any ${dep.version}.x release, so a rebuild can pick up a newer patch; pin the full version x.y.z: ${example(`${dep.version}.<patch>`)} (\`${show} ${name}\` shows the one you tested)`
        };
      }
      return {
        rule: "env/unpinned-package",
        severity: "error",
        message: `${label} matches any ${dep.version ?? ""}.x release, which is a range, not a pin; pin one version: ${example()} (\`${show} ${name}\` shows the one you tested)`
      };
    case "range":
      return {
        rule: "env/unpinned-package",
        severity: "error",
        message: `${label} is a version range, not a pin: each build installs whatever is newest inside it; pin one version: ${example()} (\`${show} ${name}\` shows the one you tested)`
      };
    case "none":
      return {
        rule: "env/unpinned-package",
        severity: "error",
        message: `${label} has no version, so each build installs whatever is newest; pin it: ${example()} (\`${show} ${name}\` shows the one you tested)`
      };
  }
}
function dependencyFindings(deps, opts = {}) {
  const out = [];
  for (const dep of deps) {
    const p = dependencyProblem(dep);
    if (!p) continue;
    if (p.rule === "env/local-path-dependency" && opts.includeLocal === false) continue;
    const f = { rule: p.rule, severity: p.severity, file: dep.location.file, line: dep.location.line, message: p.message, source: "files" };
    if (dep.location.column !== void 0) f.column = dep.location.column;
    out.push(f);
  }
  return out;
}

// src/checks/data/gpu-skus.json
var gpu_skus_default = {
  source: `Azure docs, "GPU optimized virtual machine sizes" (learn.microsoft.com/azure/virtual-machines/sizes-gpu) and the series pages it links, for the sizes and their GPUs; NVIDIA, "CUDA GPUs - Compute Capability" (developer.nvidia.com/cuda-gpus), for compute capabilities; the first CUDA release that can build for each compute capability and the CUDA release that dropped it are from NVIDIA's CUDA toolkit release notes (Kepler sm_37 removed in CUDA 12.0; Maxwell, Pascal and Volta removed in CUDA 13.0). Read 2026-11-29.`,
  note: "cudaMin: the oldest CUDA that supports the GPU's compute capability. cudaMaxMajor: the last CUDA major version that still supports it. A field is left out where it does not matter or is not certain. `gpus` is the number of GPUs per VM (fractions are partitioned GPUs). A size not listed here and not matching ^Standard_N[CDV] is a CPU size.",
  gpus: {
    K80: { architecture: "Kepler", computeCapability: "3.7", cudaMaxMajor: 11 },
    M60: { architecture: "Maxwell", computeCapability: "5.2", cudaMaxMajor: 12 },
    P100: { architecture: "Pascal", computeCapability: "6.0", cudaMin: "8.0", cudaMaxMajor: 12 },
    V100: { architecture: "Volta", computeCapability: "7.0", cudaMin: "9.0", cudaMaxMajor: 12 },
    T4: { architecture: "Turing", computeCapability: "7.5", cudaMin: "10.0" },
    A100: { architecture: "Ampere", computeCapability: "8.0", cudaMin: "11.0" },
    A10: { architecture: "Ampere", computeCapability: "8.6", cudaMin: "11.1" },
    H100: { architecture: "Hopper", computeCapability: "9.0", cudaMin: "11.8" }
  },
  series: [
    { series: "NC", gpu: "K80", retired: true, sizes: { Standard_NC6: 1, Standard_NC12: 2, Standard_NC24: 4, Standard_NC24r: 4 } },
    { series: "NCv2", gpu: "P100", retired: true, sizes: { Standard_NC6s_v2: 1, Standard_NC12s_v2: 2, Standard_NC24s_v2: 4, Standard_NC24rs_v2: 4 } },
    { series: "NCv3", gpu: "V100", sizes: { Standard_NC6s_v3: 1, Standard_NC12s_v3: 2, Standard_NC24s_v3: 4, Standard_NC24rs_v3: 4 } },
    { series: "NCasT4_v3", gpu: "T4", sizes: { Standard_NC4as_T4_v3: 1, Standard_NC8as_T4_v3: 1, Standard_NC16as_T4_v3: 1, Standard_NC64as_T4_v3: 4 } },
    { series: "NC A100 v4", gpu: "A100", sizes: { Standard_NC24ads_A100_v4: 1, Standard_NC48ads_A100_v4: 2, Standard_NC96ads_A100_v4: 4 } },
    { series: "NCads H100 v5", gpu: "H100", sizes: { Standard_NC40ads_H100_v5: 1, Standard_NC80adis_H100_v5: 2 } },
    { series: "ND A100 v4", gpu: "A100", sizes: { Standard_ND96asr_v4: 8 } },
    { series: "NDm A100 v4", gpu: "A100", sizes: { Standard_ND96amsr_A100_v4: 8 } },
    { series: "ND H100 v5", gpu: "H100", sizes: { Standard_ND96isr_H100_v5: 8 } },
    { series: "NV", gpu: "M60", retired: true, sizes: { Standard_NV6: 1, Standard_NV12: 2, Standard_NV24: 4 } },
    { series: "NVv3", gpu: "M60", sizes: { Standard_NV12s_v3: 1, Standard_NV24s_v3: 2, Standard_NV48s_v3: 4 } },
    { series: "NVadsA10 v5", gpu: "A10", sizes: { Standard_NV6ads_A10_v5: 0.167, Standard_NV12ads_A10_v5: 0.333, Standard_NV18ads_A10_v5: 0.5, Standard_NV36ads_A10_v5: 1, Standard_NV36adms_A10_v5: 1, Standard_NV72ads_A10_v5: 2 } }
  ]
};

// src/checks/data/tf-cuda.json
var tf_cuda_default = {
  source: "tensorflow.org, Build from source \u2192 Tested build configurations (tensorflow/docs site/en/install/source.md), read 2026-11-29",
  note: "Linux GPU builds. One row per tensorflow minor series, with the version the table lists; a patch release of the same series (2.15.1) uses its row.",
  andCuda: {
    since: "2.14",
    source: "tensorflow 2.14.0 release notes (github.com/tensorflow/tensorflow/releases/tag/v2.14.0): `pip install tensorflow[and-cuda]` installs the CUDA and cuDNN libraries as nvidia-* wheels on Linux"
  },
  builds: [
    { tensorflow: "2.18.0", python: { min: "3.9", max: "3.12" }, cudnn: "9.3", cuda: "12.5" },
    { tensorflow: "2.17.0", python: { min: "3.9", max: "3.12" }, cudnn: "8.9", cuda: "12.3" },
    { tensorflow: "2.16.1", python: { min: "3.9", max: "3.12" }, cudnn: "8.9", cuda: "12.3" },
    { tensorflow: "2.15.0", python: { min: "3.9", max: "3.11" }, cudnn: "8.9", cuda: "12.2" },
    { tensorflow: "2.14.0", python: { min: "3.9", max: "3.11" }, cudnn: "8.7", cuda: "11.8" },
    { tensorflow: "2.13.0", python: { min: "3.8", max: "3.11" }, cudnn: "8.6", cuda: "11.8" },
    { tensorflow: "2.12.0", python: { min: "3.8", max: "3.11" }, cudnn: "8.6", cuda: "11.8" },
    { tensorflow: "2.11.0", python: { min: "3.7", max: "3.10" }, cudnn: "8.1", cuda: "11.2" },
    { tensorflow: "2.10.0", python: { min: "3.7", max: "3.10" }, cudnn: "8.1", cuda: "11.2" },
    { tensorflow: "2.9.0", python: { min: "3.7", max: "3.10" }, cudnn: "8.1", cuda: "11.2" },
    { tensorflow: "2.8.0", python: { min: "3.7", max: "3.10" }, cudnn: "8.1", cuda: "11.2" },
    { tensorflow: "2.7.0", python: { min: "3.7", max: "3.9" }, cudnn: "8.1", cuda: "11.2" },
    { tensorflow: "2.6.0", python: { min: "3.6", max: "3.9" }, cudnn: "8.1", cuda: "11.2" },
    { tensorflow: "2.5.0", python: { min: "3.6", max: "3.9" }, cudnn: "8.1", cuda: "11.2" },
    { tensorflow: "2.4.0", python: { min: "3.6", max: "3.8" }, cudnn: "8.0", cuda: "11.0" }
  ]
};

// src/checks/image.ts
function parseImageRef(text) {
  const s = text.trim();
  const at = s.indexOf("@");
  const name = at >= 0 ? s.slice(0, at) : s;
  const digest = at >= 0 ? s.slice(at + 1) : void 0;
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const tag = colon > slash ? name.slice(colon + 1) : void 0;
  const path8 = colon > slash ? name.slice(0, colon) : name;
  const first = path8.split("/")[0] ?? "";
  const hasRegistry = path8.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return {
    text: s,
    registry: hasRegistry ? first : void 0,
    repository: hasRegistry ? path8.slice(first.length + 1) : path8,
    tag: tag === "" ? void 0 : tag,
    digest: digest === "" ? void 0 : digest
  };
}
var DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
function imagePin(ref) {
  if (ref.digest !== void 0) return DIGEST.test(ref.digest) ? "pinned" : "bad-digest";
  if (ref.tag === void 0) return "no-tag";
  if (ref.tag.toLowerCase() === "latest") return "latest";
  return "tag-only";
}
function withoutDigest(ref) {
  const i = ref.text.indexOf("@");
  return i >= 0 ? ref.text.slice(0, i) : ref.text;
}
function nameOnly(ref) {
  return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
}
function imageProblem(text, keyword) {
  const ref = parseImageRef(text);
  const pin = imagePin(ref);
  const name = nameOnly(ref);
  const inspect = (r) => `find it with \`docker buildx imagetools inspect ${r}\``;
  switch (pin) {
    case "pinned":
      return void 0;
    case "bad-digest":
      return {
        severity: "error",
        message: `the image ${ref.text} has a digest that is not sha256:<64 hex characters>, so it cannot be pulled; write the full digest: ${keyword} ${withoutDigest(ref)}@sha256:<digest> (${inspect(withoutDigest(ref))})`
      };
    case "no-tag":
      return {
        severity: "error",
        message: `the image ${ref.text} has no tag, so it means ${name}:latest, whatever that is when the environment is built; choose a version and pin it by digest: ${keyword} ${name}:<tag>@sha256:<digest> (${inspect(`${name}:<tag>`)})`
      };
    case "latest":
      return {
        severity: "error",
        message: `the image ${ref.text} uses the tag \`latest\`, which moves with every release; choose a version and pin it by digest: ${keyword} ${name}:<tag>@sha256:<digest> (${inspect(`${name}:<tag>`)})`
      };
    case "tag-only":
      return {
        severity: "warning",
        message: `the image ${ref.text} is pinned by tag only, and a tag can be pushed again with different content; pin the image by digest: ${keyword} ${ref.text}@sha256:<digest> (${inspect(ref.text)})`
      };
  }
}

// src/checks/cuda.ts
function parseVer(s) {
  const m = s?.match(/^(\d+)(?:\.(\d+))?/);
  if (!m) return void 0;
  return { major: Number(m[1]), minor: m[2] === void 0 ? void 0 : Number(m[2]) };
}
function showVer(v) {
  return v.minor === void 0 ? `${v.major}` : `${v.major}.${v.minor}`;
}
function cmpVer(a, b) {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor === void 0 || b.minor === void 0 || a.minor === b.minor) return 0;
  return a.minor < b.minor ? -1 : 1;
}
var TF_SOURCE = tf_cuda_default.source;
var TF_BUILDS = tf_cuda_default.builds.map((b) => ({ ...b, series: b.tensorflow.split(".").slice(0, 2).join(".") }));
var AND_CUDA_SINCE = tf_cuda_default.andCuda.since;
function tfBuild(version) {
  const v = parseVer(version);
  if (!v || v.minor === void 0) return void 0;
  return TF_BUILDS.find((b) => b.series === `${v.major}.${v.minor}`);
}
function imageCuda(image) {
  const ref = parseImageRef(image);
  const repo = ref.repository.toLowerCase();
  const tag = (ref.tag ?? "").toLowerCase();
  const text = `${repo}:${tag}`;
  const cudnnM = text.match(/cudnn[-_]?(\d+)(?:\.(\d+))?/);
  const cudnn = cudnnM ? { major: Number(cudnnM[1]), minor: cudnnM[2] === void 0 ? void 0 : Number(cudnnM[2]) } : void 0;
  const cudaM = text.match(/cuda[-_]?(\d+)(?:\.(\d+))?/);
  if (cudaM) return { kind: "gpu", cuda: { major: Number(cudaM[1]), minor: cudaM[2] === void 0 ? void 0 : Number(cudaM[2]) }, cudnn };
  if (/(^|\/)cuda$/.test(repo)) {
    const v = tag.match(/^(\d+)\.(\d+)/);
    return { kind: "gpu", cuda: v ? { major: Number(v[1]), minor: Number(v[2]) } : void 0, cudnn };
  }
  if (/gpu/.test(text) || cudnn) return { kind: "gpu", cudnn };
  if (/cpu/.test(text)) return { kind: "cpu" };
  const registry = (ref.registry ?? "docker.io").toLowerCase();
  if (registry === "mcr.microsoft.com" && repo.startsWith("azureml/")) return { kind: "cpu" };
  if (registry === "docker.io" && /^(library\/)?(python|ubuntu|debian|alpine|busybox|continuumio\/miniconda3|condaforge\/miniforge3|tensorflow\/tensorflow)$/.test(repo)) return { kind: "cpu" };
  return { kind: "unknown" };
}
var GPU_SOURCE = gpu_skus_default.source;
var GPU_SIZES = new Map(
  gpu_skus_default.series.flatMap(
    (s) => Object.entries(s.sizes).map(([size, gpus]) => {
      const model = gpu_skus_default.gpus[s.gpu];
      const retired = s.retired;
      return [size.toLowerCase(), { size, series: s.series, gpu: s.gpu, gpus, ...model, ...retired ? { retired } : {} }];
    })
  )
);
function gpuForSize(size) {
  return GPU_SIZES.get(size.trim().toLowerCase());
}
function isCpuSize(size) {
  return gpuForSize(size) === void 0 && !/^Standard_N[CDV]/i.test(size.trim());
}
function notOnLinux(dep) {
  const m = dep.marker;
  if (!m) return false;
  return /(sys_platform|platform_system)\s*==\s*["'](darwin|win32|windows|cygwin)["']/i.test(m) || /(sys_platform|platform_system)\s*!=\s*["']linux["']/i.test(m);
}
function findTensorflow(deps) {
  let found;
  for (const dep of deps) {
    if (dep.kind !== "package" || notOnLinux(dep)) continue;
    if (dep.key !== "tensorflow" && dep.key !== "tensorflow-gpu" && dep.key !== "tensorflow-cpu") continue;
    const version = dep.constraint === "exact" || dep.constraint === "fuzzy" ? dep.version : void 0;
    found = { dep, version, flavour: dep.key, andCuda: dep.extras.some((e) => e.toLowerCase() === "and-cuda") };
  }
  return found;
}
function findPython(deps) {
  const dep = [...deps].reverse().find((d) => d.kind === "package" && d.key === "python" && (d.constraint === "exact" || d.constraint === "fuzzy"));
  const v = parseVer(dep?.version);
  if (!dep || !v || v.minor === void 0) return void 0;
  return { dep, series: showVer(v) };
}
var CONDA_CUDA = /* @__PURE__ */ new Set(["cudatoolkit", "cuda-version", "cuda-toolkit", "cuda-runtime", "cuda-cudart"]);
function findPackageCuda(deps) {
  const out = {};
  for (const dep of deps) {
    if (dep.kind !== "package" || dep.version === void 0) continue;
    const ver = parseVer(dep.version);
    if (!ver) continue;
    if (dep.manager === "conda" && CONDA_CUDA.has(dep.key) || /^nvidia-cuda-runtime-cu1\d$/.test(dep.key)) out.cuda = { ver, dep };
    else if (dep.manager === "conda" && dep.key === "cudnn" || /^nvidia-cudnn-cu1\d$/.test(dep.key)) out.cudnn = { ver, dep };
  }
  return out;
}
function tfRow(facts) {
  const tf = facts.tf;
  if (!tf || tf.version === void 0 || tf.flavour === "tensorflow-cpu") return void 0;
  return tfBuild(tf.version);
}
function andCudaWorks(tf) {
  if (!tf || !tf.andCuda || tf.dep.manager !== "pip" || tf.flavour !== "tensorflow") return false;
  const v = parseVer(tf.version);
  const since = parseVer(AND_CUDA_SINCE);
  return v !== void 0 && v.minor !== void 0 && cmpVer(v, since) >= 0;
}
function effectiveCuda(facts) {
  const row = tfRow(facts);
  const tf = facts.tf;
  const andCuda = andCudaWorks(tf);
  const img = facts.image?.cuda.kind === "gpu" && tf?.dep.manager !== "conda" ? facts.image : void 0;
  const pick = (pkg, rowVal, imgVal) => {
    if (pkg) return { ver: pkg.ver, from: `\`${pkg.dep.text}\``, location: pkg.dep.location, source: "package" };
    if (andCuda) return rowVal ? { ver: parseVer(rowVal), from: `\`${tf.dep.text}\` (pip installs it)`, location: tf.dep.location, source: "and-cuda" } : void 0;
    if (img && imgVal) return { ver: imgVal, from: `the image ${img.ref}`, location: img.location, source: "image" };
    return void 0;
  };
  return { cuda: pick(facts.packages.cuda, row?.cuda, img?.cuda.cuda), cudnn: pick(facts.packages.cudnn, row?.cudnn, img?.cuda.cudnn), andCuda };
}
var CITE = "tensorflow.org, tested build configurations";
function finding(severity, at, message) {
  const f = { rule: "env/cuda-mismatch", severity, file: at.file, line: at.line, message, source: "files" };
  if (at.column !== void 0) f.column = at.column;
  return f;
}
function seriesList(rows) {
  const s = [...new Set(rows.map((r) => r.series))].sort((a, b) => cmpVer(parseVer(a), parseVer(b)));
  if (s.length === 0) return "";
  return s.length === 1 ? s[0] : `${s[0]}\u2013${s[s.length - 1]}`;
}
function rowsFor(cuda) {
  const exact = TF_BUILDS.filter((r) => cmpVer(parseVer(r.cuda), cuda) === 0 && (cuda.minor === void 0 || parseVer(r.cuda).minor === cuda.minor));
  return exact.length ? exact : TF_BUILDS.filter((r) => parseVer(r.cuda).major === cuda.major);
}
function checkTfCuda(facts) {
  const out = [];
  const tf = facts.tf;
  if (!tf) return out;
  const v = parseVer(tf.version);
  if (tf.flavour === "tensorflow-gpu" && tf.dep.manager === "pip" && (v === void 0 || v.minor === void 0 || cmpVer(v, { major: 2, minor: 12 }) >= 0)) {
    out.push(
      finding(
        "error",
        tf.dep.location,
        `\`${tf.dep.text}\`: the tensorflow-gpu package was retired after 2.11 (from 2.12 on it is an empty package that fails to install, pypi.org/project/tensorflow-gpu); install tensorflow instead (it has GPU support), e.g. tensorflow[and-cuda]==<x.y.z>`
      )
    );
    return out;
  }
  if (tf.andCuda && tf.dep.manager === "pip" && v !== void 0 && v.minor !== void 0 && cmpVer(v, parseVer(AND_CUDA_SINCE)) < 0) {
    out.push(
      finding(
        "warning",
        tf.dep.location,
        `\`${tf.dep.text}\`: tensorflow ${tf.version} has no [and-cuda] extra (it starts with ${AND_CUDA_SINCE}), so pip installs no CUDA and tensorflow uses the image's; drop the extra, or move to tensorflow ${AND_CUDA_SINCE} or newer`
      )
    );
  }
  const row = tfRow(facts);
  if (!row) return out;
  const shown = `tensorflow ${tf.version}`;
  if (facts.python && tf.dep.manager === "pip") {
    const py = parseVer(facts.python.series);
    const min = parseVer(row.python.min);
    const max = parseVer(row.python.max);
    if (cmpVer(py, min) < 0 || cmpVer(py, max) > 0) {
      const fits = TF_BUILDS.filter((r) => cmpVer(py, parseVer(r.python.min)) >= 0 && cmpVer(py, parseVer(r.python.max)) <= 0);
      const other = fits.length ? ` or a tensorflow that supports python ${facts.python.series} (${seriesList(fits)})` : "";
      out.push(
        finding(
          "error",
          facts.python.dep.location,
          `tensorflow ${row.series} has no wheels for python ${facts.python.series} (it supports python ${row.python.min}\u2013${row.python.max}), so installing ${tf.dep.text} fails; pin a python in that range (python=${row.python.max}.<patch>)${other} (${CITE})`
        )
      );
    }
  }
  if (tf.dep.manager !== "pip") return out;
  const eff = effectiveCuda(facts);
  const need = parseVer(row.cuda);
  const needDnn = parseVer(row.cudnn);
  const andCuda = cmpVer(v, parseVer(AND_CUDA_SINCE)) >= 0 ? `, or install tensorflow[and-cuda]==${tf.version} so pip brings CUDA ${row.cuda} and cuDNN ${row.cudnn} itself` : "";
  const cuda = eff.cuda?.source === "and-cuda" ? void 0 : eff.cuda;
  const cudnn = eff.cudnn?.source === "and-cuda" ? void 0 : eff.cudnn;
  if (cuda && cuda.ver.major !== need.major) {
    const fit = rowsFor(cuda.ver);
    const alt = fit.length ? `, pin a tensorflow built for CUDA ${showVer(cuda.ver)} (${seriesList(fit)})` : "";
    out.push(
      finding(
        "error",
        cuda.location,
        `${shown} is built for CUDA ${row.cuda} and cuDNN ${row.cudnn}, but ${cuda.from} has CUDA ${showVer(cuda.ver)}: a different CUDA major version, so tensorflow cannot load the GPU and silently runs on the CPU; use CUDA ${need.major}.x (Azure ML base images name it: \u2026-cuda${row.cuda}-cudnn${needDnn.major}-\u2026)${alt}${andCuda} (${CITE})`
      )
    );
  } else if (cuda && cuda.ver.minor !== void 0 && cuda.ver.minor !== need.minor) {
    out.push(
      finding(
        "warning",
        cuda.location,
        `${shown} was tested with CUDA ${row.cuda}, and ${cuda.from} has CUDA ${showVer(cuda.ver)}: CUDA's minor-version compatibility usually makes this work, but it is not the tested pair; use CUDA ${row.cuda} (\u2026-cuda${row.cuda}-\u2026)${andCuda} (${CITE})`
      )
    );
  }
  if (cudnn && cudnn.ver.major !== needDnn.major) {
    out.push(
      finding(
        "error",
        cudnn.location,
        `${shown} needs cuDNN ${needDnn.major} (tested with ${row.cudnn}), but ${cudnn.from} has cuDNN ${showVer(cudnn.ver)}, so tensorflow cannot load its GPU kernels; use cuDNN ${needDnn.major} (\u2026-cudnn${needDnn.major}-\u2026)${andCuda} (${CITE})`
      )
    );
  }
  return out;
}
function checkGpuCompute(facts, compute) {
  const out = [];
  const gpu = gpuForSize(compute.size);
  const eff = effectiveCuda(facts);
  const env = `environment ${facts.label}`;
  const tf = facts.tf;
  if (gpu) {
    const what = `${compute.label} has ${gpu.gpu} GPUs (compute capability ${gpu.computeCapability})`;
    const cuda = eff.cuda;
    const min = parseVer(gpu.cudaMin);
    if (cuda && min && (cuda.ver.major < min.major || cuda.ver.major === min.major && cuda.ver.minor !== void 0 && min.minor !== void 0 && cuda.ver.minor < min.minor)) {
      const newer = seriesList(TF_BUILDS.filter((r) => cmpVer(parseVer(r.cuda), min) >= 0 && !(parseVer(r.cuda).major === min.major && (parseVer(r.cuda).minor ?? 0) < (min.minor ?? 0))));
      out.push(
        finding(
          "error",
          compute.location,
          `${what}, which need CUDA ${gpu.cudaMin} or newer, but ${env} runs CUDA ${showVer(cuda.ver)} (${cuda.from}), which cannot run on them; move the environment to CUDA ${gpu.cudaMin} or newer${newer ? ` (tensorflow ${newer} is built for such a CUDA)` : ""}, or run on a compute whose GPUs CUDA ${showVer(cuda.ver)} supports`
        )
      );
    } else if (cuda && gpu.cudaMaxMajor !== void 0 && cuda.ver.major > gpu.cudaMaxMajor) {
      out.push(
        finding(
          "error",
          compute.location,
          `${what}, which CUDA ${gpu.cudaMaxMajor + 1} and newer no longer support, but ${env} runs CUDA ${showVer(cuda.ver)} (${cuda.from}); ${gpu.retired ? `the ${gpu.series} series is also retired on Azure, so ` : ""}move the compute to a newer GPU size (e.g. Standard_NC4as_T4_v3 or Standard_NC24ads_A100_v4), or use CUDA ${gpu.cudaMaxMajor}.x with a tensorflow built for it`
        )
      );
    }
    if (tf?.flavour === "tensorflow-cpu") {
      out.push(
        finding(
          "warning",
          compute.location,
          `${compute.label} has ${gpu.gpu} GPUs, but ${env} installs \`${tf.dep.text}\`, which never uses a GPU: you pay for the GPU and train on the CPU; install tensorflow instead (tensorflow[and-cuda]==<x.y.z>), or run on a CPU size`
        )
      );
    } else if (tf && tf.dep.manager === "pip" && !eff.cuda && !eff.andCuda && facts.image?.cuda.kind === "cpu") {
      out.push(
        finding(
          "warning",
          compute.location,
          `${compute.label} has ${gpu.gpu} GPUs, but ${env} is built on ${facts.image.ref}, a CPU image without CUDA, and installs \`${tf.dep.text}\` without [and-cuda]: tensorflow finds no CUDA and the GPU stays idle while you pay for it; use a CUDA base image that matches tensorflow, or install tensorflow[and-cuda]==<x.y.z> (${AND_CUDA_SINCE} or newer), or run on a CPU size`
        )
      );
    }
  } else if (isCpuSize(compute.size) && facts.image?.cuda.kind === "gpu") {
    const cuda = facts.image.cuda.cuda ? ` (CUDA ${showVer(facts.image.cuda.cuda)})` : "";
    out.push(
      finding(
        "warning",
        compute.location,
        `${compute.label} has no GPU, but ${env} is built on the GPU image ${facts.image.ref}${cuda}: either the job should run on a GPU size (e.g. Standard_NC4as_T4_v3), or the environment should use a CPU image and stop pulling CUDA layers it cannot use`
      )
    );
  }
  return out;
}

// src/checks/dockerfile.ts
import { existsSync, readFileSync as readFileSync2 } from "node:fs";
import path4 from "node:path";
function dockerInstructions(text) {
  const lines = text.split(/\r?\n/);
  let escape = "\\";
  for (const l of lines) {
    const m = l.match(/^\s*#\s*([A-Za-z]+)\s*=\s*(\S*)\s*$/);
    if (!m) break;
    if (m[1].toLowerCase() === "escape" && (m[2] === "`" || m[2] === "\\")) escape = m[2];
  }
  const isSkippable = (l) => /^\s*(#.*)?$/.test(l);
  const out = [];
  let i = 0;
  while (i < lines.length) {
    if (isSkippable(lines[i])) {
      i++;
      continue;
    }
    const parts = [];
    for (; ; ) {
      const cur = lines[i];
      const trimmed = cur.replace(/\s+$/, "");
      i++;
      if (trimmed.endsWith(escape)) {
        parts.push({ text: trimmed.slice(0, -1), line: i });
        while (i < lines.length && isSkippable(lines[i])) i++;
        if (i >= lines.length) break;
      } else {
        parts.push({ text: cur, line: i });
        break;
      }
    }
    const joined = parts.map((p) => p.text).join("");
    const m = joined.match(/^\s*(\S+)\s*/);
    if (!m) continue;
    const keywordEnd = m[0].length;
    const starts = [];
    let acc = -keywordEnd;
    for (const p of parts) {
      starts.push(acc);
      acc += p.text.length;
    }
    const lineAt = (offset) => {
      let line = parts[0].line;
      starts.forEach((s, k) => {
        if (offset >= s) line = parts[k].line;
      });
      return line;
    };
    const ins = { keyword: m[1].toUpperCase(), args: joined.slice(keywordEnd), line: parts[0].line, lineAt, heredoc: [] };
    for (const h of ins.args.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
      const strip = h[1] === "-";
      const end = h[3];
      while (i < lines.length) {
        const body = lines[i];
        i++;
        if ((strip ? body.replace(/^\t+/, "") : body).trimEnd() === end) break;
        ins.heredoc.push({ text: body, line: i });
      }
    }
    out.push(ins);
  }
  return out;
}
function shellWords(s) {
  const out = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === " " || c === "	" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\n" || c === ";" || c === "(" || c === ")") {
      out.push({ text: c, offset: i, op: true });
      i++;
      continue;
    }
    if (c === "&" || c === "|") {
      const two = s[i + 1] === c;
      out.push({ text: two ? c + c : c, offset: i, op: true });
      i += two ? 2 : 1;
      continue;
    }
    if (c === "#") {
      while (i < s.length && s[i] !== "\n") i++;
      continue;
    }
    const start = i;
    let text = "";
    let dynamic = false;
    while (i < s.length && !/[\s;&|()]/.test(s[i])) {
      const ch = s[i];
      if (ch === "'") {
        const end = s.indexOf("'", i + 1);
        const stop = end < 0 ? s.length : end;
        text += s.slice(i + 1, stop);
        i = stop + 1;
      } else if (ch === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === "\\" && i + 1 < s.length) i++;
          if (s[i] === "$") dynamic = true;
          text += s[i];
          i++;
        }
        i++;
      } else if (ch === "\\" && i + 1 < s.length) {
        text += s[i + 1];
        i += 2;
      } else {
        if (ch === "$" || ch === "`") dynamic = true;
        text += ch;
        i++;
      }
    }
    out.push({ text, offset: start, dynamic });
  }
  return out;
}
function commands(words) {
  const out = [];
  let cur = [];
  for (const w of words) {
    if (w.op) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(w);
  }
  if (cur.length) out.push(cur);
  return out;
}
function substitute(s, vars) {
  const unresolved = [];
  const used = [];
  const value = s.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, braced, op, word, bare) => {
    if (all === "\\$") return "$";
    const name = braced ?? bare;
    const v = vars.get(name);
    if (v) used.push({ name, line: v.line });
    const val = v?.value;
    const set = val !== void 0 && val !== "";
    if (op === ":-" || op === "-") return (op === ":-" ? set : val !== void 0) ? val : word ?? "";
    if (op === ":+" || op === "+") return (op === ":+" ? set : val !== void 0) ? word ?? "" : "";
    if (val === void 0 || val === "") {
      unresolved.push(name);
      return "";
    }
    return val;
  });
  return { value: unresolved.length ? void 0 : value, unresolved, used };
}
function argDefinitions(args, line, into) {
  for (const w of shellWords(args)) {
    if (w.op) continue;
    const eq = w.text.indexOf("=");
    if (eq < 0) {
      if (!into.has(w.text)) into.set(w.text, { line });
    } else into.set(w.text.slice(0, eq), { value: w.text.slice(eq + 1), line });
  }
}
function parseDockerfile(text) {
  const instructions = dockerInstructions(text);
  const globals = /* @__PURE__ */ new Map();
  const stages = /* @__PURE__ */ new Set();
  const froms = [];
  for (const ins of instructions) {
    if (ins.keyword === "ARG" && froms.length === 0) argDefinitions(ins.args, ins.line, globals);
    if (ins.keyword !== "FROM") continue;
    const words = shellWords(ins.args).filter((w) => !w.op && !w.text.startsWith("--"));
    const imageWord = words[0];
    if (!imageWord) continue;
    const raw = ins.args.slice(imageWord.offset).split(/\s/)[0] ?? imageWord.text;
    const stage = words[1]?.text.toLowerCase() === "as" ? words[2]?.text : void 0;
    const sub = substitute(raw, globals);
    const line = ins.lineAt(imageWord.offset);
    const from = { line, written: raw, image: sub.value, unresolved: sub.unresolved, argsUsed: sub.used, stage, kind: "image" };
    if (sub.value === void 0 || sub.value === "") from.kind = "unresolved";
    else if (sub.value.toLowerCase() === "scratch") from.kind = "scratch";
    else if (stages.has(sub.value.toLowerCase())) from.kind = "stage";
    froms.push(from);
    if (stage) stages.add(stage.toLowerCase());
  }
  return { instructions, froms };
}
function finalBase(df) {
  let cur = df.froms[df.froms.length - 1];
  const seen = /* @__PURE__ */ new Set();
  while (cur && cur.kind === "stage" && !seen.has(cur)) {
    seen.add(cur);
    const name = cur.image.toLowerCase();
    const idx = df.froms.indexOf(cur);
    cur = df.froms.slice(0, idx).reverse().find((f) => f.stage?.toLowerCase() === name);
  }
  return { from: cur };
}
function fromFindings(file, df) {
  const out = [];
  for (const f of df.froms) {
    if (f.kind === "scratch" || f.kind === "stage") continue;
    if (f.kind === "unresolved") {
      const vars = f.unresolved.map((v) => `\`${v}\``).join(", ");
      out.push({
        rule: "env/unpinned-image",
        severity: "error",
        file,
        line: f.line,
        message: `FROM ${f.written} cannot be resolved: ${vars} ${f.unresolved.length > 1 ? "have" : "has"} no default in an ARG before the first FROM, and Azure ML builds without build arguments, so which image this is cannot be told and it is not pinned; give it a pinned default: ARG ${f.unresolved[0]}=<image>:<tag>@sha256:<digest>`,
        source: "files"
      });
      continue;
    }
    const p = imageProblem(f.image, "FROM");
    if (!p) continue;
    const via = f.argsUsed.length ? `FROM ${f.written} (${f.argsUsed.map((a) => `ARG ${a.name} on line ${a.line}`).join(", ")}): ` : "";
    out.push({ rule: "env/unpinned-image", severity: p.severity, file, line: f.line, message: `${via}${p.message}`, source: "files" });
  }
  return out;
}
var PIP_VALUE_FLAGS = /* @__PURE__ */ new Set([
  "-c",
  "--constraint",
  "-e",
  "--editable",
  "-i",
  "--index-url",
  "--extra-index-url",
  "-f",
  "--find-links",
  "-t",
  "--target",
  "--prefix",
  "--root",
  "--platform",
  "--python-version",
  "--implementation",
  "--abi",
  "--src",
  "--upgrade-strategy",
  "--progress-bar",
  "--cache-dir",
  "--log",
  "--trusted-host",
  "--proxy",
  "--timeout",
  "--retries",
  "--no-binary",
  "--only-binary",
  "--config-settings",
  "-C",
  "--global-option",
  "--report",
  "--python",
  "--exists-action",
  "--cert",
  "--client-cert",
  "--keyring-provider",
  "--root-user-action"
]);
var CONDA_VALUE_FLAGS = /* @__PURE__ */ new Set([
  "-c",
  "--channel",
  "-n",
  "--name",
  "-p",
  "--prefix",
  "--solver",
  "--repodata-fn",
  "--subdir",
  "--platform",
  "--clone",
  "--experimental-solver"
]);
function findInContext(ctx, written) {
  if (!ctx || written.includes("$")) return void 0;
  const candidates = [path4.posix.join(ctx.dir, written.replace(/^\/+/, "")), path4.posix.join(ctx.dir, path4.posix.basename(written))];
  return candidates.map((c) => path4.posix.normalize(c)).find((c) => !c.startsWith("../") && existsSync(path4.join(ctx.root, c)));
}
function commandPackages(file, words, lineOf, ctx, req) {
  let ws = [...words];
  while (ws.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(ws[0].text) || ["sudo", "env", "exec", "time", "command", "nohup"].includes(ws[0].text))) ws = ws.slice(1);
  const base = (w) => path4.posix.basename(w?.text ?? "");
  let manager;
  let args = [];
  let condaEnvFile = false;
  const b0 = base(ws[0]);
  if (/^(conda|mamba|micromamba)$/.test(b0)) {
    if (ws[1]?.text === "run") {
      let k = 2;
      while (k < ws.length && ws[k].text.startsWith("-")) k += CONDA_VALUE_FLAGS.has(ws[k].text) ? 2 : 1;
      return commandPackages(file, ws.slice(k), lineOf, ctx, req);
    }
    if (ws[1]?.text === "install" || ws[1]?.text === "create") {
      manager = "conda";
      args = ws.slice(2);
    } else if (ws[1]?.text === "env" && (ws[2]?.text === "create" || ws[2]?.text === "update")) {
      condaEnvFile = true;
      args = ws.slice(3);
    }
  } else if (/^pip(\d+(\.\d+)?)?$/.test(b0) && ws[1]?.text === "install") {
    manager = "pip";
    args = ws.slice(2);
  } else if (/^python(\d+(\.\d+)?)?$/.test(b0) && ws[1]?.text === "-m" && /^pip(\d+(\.\d+)?)?$/.test(ws[2]?.text ?? "") && ws[3]?.text === "install") {
    manager = "pip";
    args = ws.slice(4);
  } else if (b0 === "uv" && ws[1]?.text === "pip" && ws[2]?.text === "install") {
    manager = "pip";
    args = ws.slice(3);
  }
  const out = [];
  const readFrom = (valueWord, kind) => {
    const written = valueWord?.text;
    if (!written || valueWord.dynamic) return;
    const found = findInContext(ctx, written);
    if (!found || !ctx) return;
    try {
      const text = readFileSync2(path4.join(ctx.root, found), "utf8");
      if (kind === "requirements") out.push(...parseRequirementsText(found, text, req));
      else if (kind === "conda-specs") {
        text.split(/\r?\n/).forEach((l, n) => {
          const s = l.replace(/#.*$/, "").trim();
          if (s && !s.startsWith("@")) out.push(parseCondaSpec(s, { file: found, line: n + 1 }));
        });
      } else out.push(...parseConda(SourceDoc.parse(found, path4.join(ctx.root, found), text), ctx.root, req).dependencies);
    } catch {
    }
  };
  if (condaEnvFile) {
    for (let k = 0; k < args.length; k++) {
      const w = args[k];
      if (w.text === "-f" || w.text === "--file") readFrom(args[k + 1], "conda-env");
      else if (w.text.startsWith("--file=")) readFrom({ ...w, text: w.text.slice(7) }, "conda-env");
    }
    return out;
  }
  if (!manager) return out;
  const values = manager === "pip" ? PIP_VALUE_FLAGS : CONDA_VALUE_FLAGS;
  for (let k = 0; k < args.length; k++) {
    const w = args[k];
    if (w.text.startsWith("-")) {
      if (manager === "pip" && (w.text === "-r" || w.text === "--requirement")) readFrom(args[++k], "requirements");
      else if (manager === "pip" && (w.text.startsWith("--requirement=") || /^-r\S/.test(w.text))) readFrom({ ...w, text: w.text.replace(/^(--requirement=|-r)/, "") }, "requirements");
      else if (manager === "conda" && w.text === "--file") readFrom(args[++k], "conda-specs");
      else if (manager === "conda" && w.text.startsWith("--file=")) readFrom({ ...w, text: w.text.slice(7) }, "conda-specs");
      else if (values.has(w.text)) k++;
      continue;
    }
    if (w.dynamic || w.text === "") continue;
    const location = { file, line: lineOf(w.offset) };
    if (manager === "conda") out.push(parseCondaSpec(w.text, location));
    else {
      const parsed = parsePipLine(w.text, location);
      if (parsed.type === "dependency") out.push(parsed.dependency);
    }
  }
  return out;
}
function dockerfileDependencies(file, df, ctx, req) {
  const reqCtx = req ?? { root: ctx?.root ?? ".", errors: [] };
  const out = [];
  for (const ins of df.instructions) {
    if (ins.keyword !== "RUN") continue;
    const args = ins.args.trim();
    if (args.startsWith("[")) {
      try {
        const argv = JSON.parse(args);
        if (Array.isArray(argv) && argv.every((a) => typeof a === "string")) {
          const words = argv.map((t) => ({ text: t, offset: 0, dynamic: false }));
          out.push(...commandPackages(file, words, () => ins.line, ctx, reqCtx));
        }
      } catch {
      }
      continue;
    }
    const shell = ins.args.replace(/^(\s*--\S+)+/, (m) => " ".repeat(m.length));
    for (const cmd of commands(shellWords(shell))) out.push(...commandPackages(file, cmd, ins.lineAt, ctx, reqCtx));
    for (const h of ins.heredoc) for (const cmd of commands(shellWords(h.text))) out.push(...commandPackages(file, cmd, () => h.line, ctx, reqCtx));
  }
  return out;
}

// src/checks/environment.ts
function analyzeEnvironment(project, env, errors = []) {
  const root = project.config.root;
  const findings = [];
  const deps = [];
  const label = `${env.name}:${env.version ?? "<no version>"}`;
  const facts = { label, packages: {} };
  if (env.version === void 0 || env.version.trim() === "") {
    const loc = env.doc.locate(["name"]);
    findings.push({
      rule: "env/missing-version",
      severity: "error",
      file: loc.file,
      line: loc.line ?? 1,
      column: loc.column,
      message: `environment ${env.name || env.doc.file} has no \`version\`, so \`az ml environment create\` auto-increments it and the same file can register as a different version on each run; add an explicit version (version: "1") and bump it whenever the image, conda file or build context changes`,
      source: "files"
    });
  }
  if (env.image !== void 0) {
    const loc = env.doc.locate(["image"]);
    const location = { file: loc.file, line: loc.line ?? 1, column: loc.column };
    const p = imageProblem(env.image, "image:");
    if (p) findings.push({ rule: "env/unpinned-image", severity: p.severity, ...location, message: p.message, source: "files" });
    facts.image = { ref: env.image.trim(), location, cuda: imageCuda(env.image) };
  }
  let conda;
  if (env.conda) {
    const ctx = { root, errors };
    conda = parseConda(env.conda, root, ctx);
    deps.push(...conda.dependencies);
    findings.push(...dependencyFindings(conda.dependencies));
    for (const inc of conda.includes) {
      findings.push({
        rule: "env/local-path-dependency",
        severity: "warning",
        ...inc.location,
        message: `\`${inc.text}\` refers to a file beside the conda file, but Azure ML builds the environment from the conda file's content alone and does not upload ${inc.file} with it, so pip cannot find it during the image build; copy its lines into this pip list (or use a build: context whose Dockerfile COPYs it)`,
        source: "files"
      });
    }
  }
  let dockerfile;
  if (env.build) {
    let text = env.build.dockerfileText;
    if (text === void 0) {
      try {
        text = readFileSync3(path5.join(root, env.build.dockerfile), "utf8");
      } catch (err) {
        errors.push(new ConfigurationError(`the Dockerfile ${env.build.dockerfile} cannot be read (${err.code ?? String(err)}); fix build.path / build.dockerfile_path`, env.doc.locate(["build", "path"])));
      }
    }
    if (text !== void 0) {
      const file = env.build.dockerfile;
      const parsed = parseDockerfile(text);
      dockerfile = { file, parsed };
      findings.push(...fromFindings(file, parsed));
      const runDeps = dockerfileDependencies(file, parsed, { root, dir: env.build.dir }, { root, errors: [] });
      deps.push(...runDeps);
      findings.push(...dependencyFindings(runDeps, { includeLocal: false }));
      if (!facts.image) {
        const base = finalBase(parsed).from;
        if (base?.kind === "image" && base.image) facts.image = { ref: base.image, location: { file, line: base.line }, cuda: imageCuda(base.image) };
        else if (base?.kind === "scratch") facts.image = { ref: "scratch", location: { file, line: base.line }, cuda: { kind: "cpu" } };
      }
    }
  }
  facts.tf = findTensorflow(deps);
  facts.python = findPython(deps);
  facts.packages = findPackageCuda(deps);
  findings.push(...checkTfCuda(facts));
  return { env, conda, dockerfile, dependencies: deps, facts, findings };
}
function dedupe(findings) {
  const seen = /* @__PURE__ */ new Set();
  return findings.sort(compareFindings).filter((f) => {
    const k = `${f.rule}\0${f.file}\0${f.line}\0${f.column ?? ""}\0${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
function checkEnvironments(project) {
  const errors = [];
  const out = [];
  for (const env of project.environments) out.push(...analyzeEnvironment(project, env, errors).findings);
  if (errors.length > 0) throw ConfigurationError.all(errors);
  return dedupe(out);
}
function jobCompute(project, job) {
  const at = (p) => {
    const loc = job.doc.locate(p);
    return { file: loc.file, line: loc.line ?? 1, column: loc.column };
  };
  if (job.compute) {
    const c = findCompute(project, job.compute.value);
    if (!c?.size) return void 0;
    return { label: `compute ${c.name} (${c.size})`, size: c.size, location: at(job.compute.at) };
  }
  const data = job.doc.data;
  const size = data?.resources?.instance_type;
  if (typeof size === "string" && size.trim() !== "") return { label: `serverless compute ${size}`, size, location: at(["resources", "instance_type"]) };
  return void 0;
}
function checkJobGpu(project) {
  const out = [];
  const cache = /* @__PURE__ */ new Map();
  for (const job of project.jobs) {
    const env = findEnvironment(project, job.doc.file, job.environment?.value);
    if (!env) continue;
    const compute = jobCompute(project, job);
    if (!compute) continue;
    if (!cache.has(env)) {
      const errors = [];
      let facts2;
      try {
        facts2 = analyzeEnvironment(project, env, errors).facts;
      } catch (err) {
        if (!(err instanceof ConfigurationError)) throw err;
      }
      cache.set(env, facts2);
    }
    const facts = cache.get(env);
    if (facts) out.push(...checkGpuCompute(facts, compute));
  }
  return dedupe(out);
}

// src/checks/job.ts
function checkJobs(project) {
  const out = [];
  for (const job of project.jobs) {
    const env = job.environment;
    if (!env) continue;
    if (typeof env.value !== "string") {
      out.push(findingAt("job/floating-environment", "error", job.doc, env.at, "the environment is defined inline, so it has no name or version and is rebuilt unversioned; move it to an environment file with a version and refer to it as azureml:<name>:<version>"));
      continue;
    }
    const r = parseAssetRef(env.value);
    if (r.kind === "label") {
      out.push(findingAt("job/floating-environment", "error", job.doc, env.at, `${env.value} follows the label \`${r.label}\` and changes under the job; pin a version: azureml:${r.name}:<version>`));
    } else if (r.kind === "unversioned") {
      out.push(findingAt("job/floating-environment", "error", job.doc, env.at, `${env.value} has no version; pin it: azureml:${r.name}:<version>`));
    } else if (r.kind === "registry-label") {
      out.push(findingAt("job/floating-environment", "error", job.doc, env.at, `${env.value} follows a registry label; pin it: azureml://registries/${r.registry}/${r.assetType}/${r.name}/versions/<version>`));
    }
  }
  return out;
}

// src/checks/lock.ts
function checkLock(project, resolved, lock) {
  const c = project.config;
  if (!lock) {
    const anything = resolved.environments.size + resolved.data.size + (resolved.model ? 1 : 0);
    if (anything === 0) return [];
    return [findingAt("lock/missing-entry", "warning", c.doc, ["project"], `there is no ${LOCKFILE_NAME}, so nothing pins the content of the environments, data and hub model; run \`tfaml lock\` and commit ${LOCKFILE_NAME}`)];
  }
  const out = [];
  for (const [key, now] of resolved.environments) {
    const locked = lock.environments[key];
    const env = now.env;
    if (!locked) {
      out.push(findingAt("lock/missing-entry", "warning", env.doc, ["version"], `environment ${key} is not in ${LOCKFILE_NAME}; run \`tfaml lock\` and commit it`));
    } else if (locked.hash !== now.hash) {
      out.push(findingAt("env/immutable-conflict", "error", env.doc, ["version"], `environment ${key} is locked with different content (${LOCKFILE_NAME} has ${locked.hash.slice(0, 19)}\u2026, this file is ${now.hash.slice(0, 19)}\u2026); an environment version is immutable: bump \`version\` and run \`tfaml lock\``));
    }
  }
  for (const d of project.data) {
    if (d.version === void 0) continue;
    const key = `${d.name}:${d.version}`;
    const now = resolved.data.get(key);
    const locked = lock.data[key];
    if (!now) continue;
    if (!locked) {
      out.push(findingAt("lock/missing-entry", "warning", d.doc, ["version"], `data ${key} is not in ${LOCKFILE_NAME}; run \`tfaml lock\` and commit it`));
    } else if (now.hash !== void 0 && locked.hash !== void 0 && now.hash !== locked.hash) {
      out.push(findingAt("data/hash-mismatch", "error", c.doc, ["data", d.entry.index, "local"], `the local copy ${now.local} (${now.files} files) differs from what ${LOCKFILE_NAME} records for ${key}; data under one version must not change: bump the data asset's version in ${d.doc.file} and run \`tfaml lock\`, or restore the data`));
    }
  }
  const m = c.model;
  if (m && resolved.model) {
    const locked = lock.models[m.name];
    if (!locked) {
      out.push(findingAt("lock/missing-entry", "warning", c.doc, ["model", "hub"], `model ${m.name} is not in ${LOCKFILE_NAME}; run \`tfaml lock\` and commit it`));
    } else if (locked.hub !== m.hub) {
      out.push(findingAt("lock/missing-entry", "warning", c.doc, ["model", "hub"], `the hub handle changed since ${LOCKFILE_NAME} was written (it has ${locked.hub}); run \`tfaml lock\` to record the new model`));
    } else if (resolved.model.hash !== void 0 && locked.hash !== void 0 && resolved.model.hash !== locked.hash) {
      out.push(findingAt("model/hash-mismatch", "error", c.doc, ["model", "hub"], `the model files in ${resolved.model.local} differ from what ${LOCKFILE_NAME} records; restore them, or if the change is intended, run \`tfaml lock\` and review the diff`));
    }
  }
  return out;
}

// src/checks/model.ts
function checkModel(project) {
  const m = project.config.model;
  if (!m) return [];
  const doc = project.config.doc;
  const out = [];
  const h = parseHubHandle(m.hub);
  if ((h.kind === "tfhub" || h.kind === "kaggle") && h.version === void 0) {
    const example = h.kind === "tfhub" ? `${h.base}/<version>${m.format === "graph" || m.format === "layers" ? "/default/1" : ""}` : `${h.base}/<version>`;
    out.push(findingAt("model/unpinned-handle", "error", doc, ["model", "hub"], `the hub handle has no version, so it resolves to whatever was published last; pin it, e.g. ${example}`));
  } else if (h.kind === "url") {
    out.push(findingAt("model/unpinned-handle", "warning", doc, ["model", "hub"], `${m.hub} carries no version; it is pinned only by the hashes in tfaml.lock. Prefer a versioned tfhub.dev or Kaggle handle, or a folder in the repository`));
  }
  if (m.fineTune === void 0) {
    out.push(findingAt("model/finetune-policy", "error", doc, ["model"], "model has no `fine-tune` policy; decide whether the base is frozen (`fine-tune: none`) or which layers may train (`fine-tune: top-2`)", { key: true }));
  } else if (m.fineTune.mode === "top" && m.format === "graph") {
    out.push(findingAt("model/finetune-policy", "error", doc, ["model", "fine-tune"], `${m.fineTuneText} needs trainable layers, but a graph model is a frozen graph; use \`fine-tune: none\`, or a layers model (\`format: layers\`)`));
  }
  if (m.format === "layers" && m.featureLayer === void 0) {
    out.push(findingAt("model/finetune-policy", "error", doc, ["model", "format"], "a layers model needs `feature-layer`: the layer where the frozen base is cut and the new head attaches (e.g. `feature-layer: flatten_1`)"));
  } else if (m.format === "graph" && m.featureLayer !== void 0) {
    out.push(findingAt("model/finetune-policy", "warning", doc, ["model", "feature-layer"], "feature-layer applies to layers models only; a graph feature-vector model already ends at its features. Remove it"));
  }
  return out;
}

// src/checks/owner.ts
function checkOwners(project) {
  const c = project.config;
  if (c.owners.length > 0) return [];
  const out = [];
  const hasKey = c.doc.data && typeof c.doc.data === "object" && "owners" in c.doc.data;
  out.push(findingAt("owner/missing", "error", c.doc, hasKey ? ["owners"] : ["project"], 'the project has no owners; add `owners: ["@org/team"]` so someone answers for its cost and its models'));
  const keys = ["environments", "data", "compute", "jobs", "endpoints"];
  if (!keys.some((key) => c[key].some((a) => a.owner !== void 0))) return out;
  for (const key of keys) {
    for (const a of c[key]) {
      if (a.owner === void 0) {
        out.push(findingAt("owner/missing", "error", c.doc, [key, a.index], `${a.path} has no owner (and the project has none to inherit); add \`owner: "@org/team"\` here or \`owners:\` at the top`));
      }
    }
  }
  return out;
}

// src/checks/stage.ts
function checkStages(project) {
  const out = [];
  for (const job of project.jobs) {
    if (job.entry.stage !== "production") continue;
    const env = findEnvironment(project, job.doc.file, job.environment?.value);
    if (env && env.entry.stage !== "production" && job.environment) {
      out.push(findingAt("stage/production-uses-experimental", "error", job.doc, job.environment.at, `this production job runs in ${env.name}:${env.version}, which tfaml.yml marks experimental (${env.doc.file}); promote the environment to \`stage: production\` in tfaml.yml after review, or use a production environment`));
    }
    for (const input of job.inputs) {
      const d = findData(project, input.value);
      if (d && d.entry.stage !== "production") {
        out.push(findingAt("stage/production-uses-experimental", "error", job.doc, input.at, `this production job reads ${d.name}:${d.version}, which tfaml.yml marks experimental (${d.doc.file}); mark the data \`stage: production\` after review, or use production data`));
      }
    }
  }
  const t = project.config.train;
  const trainJob = t?.job ? project.jobs.find((j) => j.entry.path === t.job) : void 0;
  if (t?.data && trainJob?.entry.stage === "production") {
    const d = project.data.find((x) => x.name === t.data);
    if (d && d.entry.stage !== "production") {
      out.push(findingAt("stage/production-uses-experimental", "error", project.config.doc, ["train", "data"], `train.data ${d.name} is experimental but train.job ${t.job} is a production job; mark the data \`stage: production\` after review`));
    }
  }
  return out;
}

// src/checks/suppress.ts
function covers(suppressPath, file) {
  if (suppressPath === void 0) return true;
  const p = suppressPath.replace(/\/+$/, "");
  return file === p || file.startsWith(`${p}/`);
}
function applySuppressions(config, findings) {
  const used = /* @__PURE__ */ new Set();
  const kept = [];
  const suppressed = [];
  for (const f of findings) {
    const s = config.suppress.find((x) => x.rule === f.rule && covers(x.path, f.file));
    if (s) {
      used.add(s.index);
      suppressed.push({ ...f, reason: s.reason });
    } else kept.push(f);
  }
  for (const s of config.suppress) {
    if (!used.has(s.index)) {
      kept.push(findingAt("suppress/unused", "warning", config.doc, ["suppress", s.index], `this suppression of ${s.rule}${s.path ? ` in ${s.path}` : ""} matched no finding; remove it, or fix its rule or path`));
    }
  }
  return { findings: kept, suppressed };
}

// src/checks/versions.ts
var import_yaml = __toESM(require_dist(), 1);
import path6 from "node:path";
function parseLoose(text) {
  if (text === void 0) return void 0;
  const doc = (0, import_yaml.parseDocument)(text);
  return doc.errors.length ? text : doc.toJS();
}
function checkVersionBumps(project, base) {
  const out = [];
  for (const env of project.environments) {
    const before = parseLoose(base.readFile(env.doc.file));
    if (!before || typeof before !== "object") continue;
    const b = before;
    const beforeVersion = b.version === void 0 ? void 0 : String(b.version);
    if (String(b.name) !== env.name || beforeVersion !== env.version) continue;
    const changed = [];
    if (canonicalJson(environmentDefinition(b)) !== canonicalJson(environmentDefinition(env.doc.data))) changed.push("the environment file");
    if (env.conda) {
      const beforeConda = typeof b.conda_file === "string" ? relPath(path6.posix.join(path6.posix.dirname(env.doc.file), b.conda_file)) : void 0;
      const was = beforeConda === void 0 ? void 0 : parseLoose(base.readFile(beforeConda));
      if (canonicalJson(was ?? null) !== canonicalJson(env.conda.data)) changed.push(`the conda file ${env.conda.file}`);
    }
    if (env.build && base.changedSince(env.build.dir)) changed.push(`the build context ${env.build.dir}`);
    if (changed.length === 0) continue;
    const next = env.version !== void 0 && /^\d+$/.test(env.version) ? String(Number(env.version) + 1) : "<a new version>";
    out.push(findingAt(
      "env/version-not-bumped",
      "error",
      env.doc,
      env.version === void 0 ? ["name"] : ["version"],
      `${changed.join(", ")} changed since ${base.name} but the version is still ${env.version ?? "(none)"}; an environment version is immutable once built: set \`version: "${next}"\``
    ));
  }
  return out;
}

// src/checks/index.ts
function runChecks({ project, resolved, lock, base }) {
  const all = [
    ...checkOwners(project),
    ...checkEnvironments(project),
    ...checkJobGpu(project),
    ...checkData(project),
    ...checkModel(project),
    ...checkCompute(project),
    ...checkJobs(project),
    ...checkStages(project),
    ...checkLock(project, resolved, lock),
    ...base ? checkVersionBumps(project, base) : []
  ];
  const { findings, suppressed } = applySuppressions(project.config, all);
  return { findings: findings.sort(compareFindings), suppressed: suppressed.sort(compareFindings) };
}

// src/report/validate.ts
function counts(r) {
  const errors = r.findings.filter((f) => f.severity === "error").length;
  return { errors, warnings: r.findings.length - errors, suppressed: r.suppressed.length };
}
function toJson(r) {
  const strip = (f) => ({ rule: f.rule, severity: f.severity, file: f.file, line: f.line, column: f.column, message: f.message, source: f.source ?? "files" });
  return {
    findings: r.findings.map(strip),
    suppressed: r.suppressed.map((f) => ({ ...strip(f), reason: f.reason })),
    summary: { project: r.project, config: r.config, base: r.base ?? null, files: r.files, ...counts(r) }
  };
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function summaryLine(r) {
  const c = counts(r);
  const sup = c.suppressed ? ` (${c.suppressed} suppressed)` : "";
  if (c.errors + c.warnings === 0) return `no findings in ${plural(r.files, "file")}${sup}`;
  return `${plural(c.errors, "error")}, ${plural(c.warnings, "warning")} in ${plural(r.files, "file")}${sup}`;
}
function toText(r, opts = {}) {
  const paint = (code, s) => opts.color ? `\x1B[${code}m${s}\x1B[0m` : s;
  const lines = [];
  lines.push(`tfaml validate: ${r.project} (${r.config})${r.base ? `, compared with ${r.base}` : ""}`);
  for (const f of r.findings) {
    const sev = f.severity === "error" ? paint(31, "error  ") : paint(33, "warning");
    lines.push(`${f.file}:${f.line}${f.column ? `:${f.column}` : ""}  ${sev}  ${paint(2, f.rule)}  ${f.message}${f.source === "workspace" ? " [workspace]" : ""}`);
  }
  if (r.suppressed.length > 0) {
    lines.push("", `suppressed (${r.suppressed.length}):`);
    for (const f of r.suppressed) lines.push(`  ${f.file}:${f.line}  ${f.rule}  ${f.message}
    reason: ${f.reason}`);
  }
  const c = counts(r);
  lines.push("", c.errors > 0 ? paint(31, `\u2716 ${summaryLine(r)}`) : paint(32, `\u2714 ${summaryLine(r)}`));
  return lines.join("\n") + "\n";
}
function cell(s) {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
function toMarkdown(r) {
  const c = counts(r);
  const out = [];
  out.push(`### tfaml validate: ${c.errors > 0 ? "\u274C" : "\u2705"} ${summaryLine(r)}`, "");
  out.push(`Project \`${r.project}\` (\`${r.config}\`)${r.base ? `, compared with \`${r.base}\`` : ""}.`, "");
  if (r.findings.length > 0) {
    out.push("| | rule | where | what to change |", "|---|---|---|---|");
    for (const f of r.findings) out.push(`| ${f.severity === "error" ? "\u274C error" : "\u26A0\uFE0F warning"} | \`${f.rule}\` | \`${f.file}:${f.line}\` | ${cell(f.message)} |`);
    out.push("");
  }
  if (r.suppressed.length > 0) {
    out.push(`<details><summary>${r.suppressed.length} suppressed</summary>`, "", "| rule | where | finding | reason |", "|---|---|---|---|");
    for (const f of r.suppressed) out.push(`| \`${f.rule}\` | \`${f.file}:${f.line}\` | ${cell(f.message)} | ${cell(f.reason)} |`);
    out.push("", "</details>", "");
  }
  return out.join("\n");
}

// src/commands/validate.ts
var VALIDATE_INPUTS = ["config", "format", "base", "update-lock"];
var VALIDATE_OUTPUTS = ["errors", "warnings", "report-json"];
function readValidateSettings(inputs) {
  return {
    config: inputs.get("config") ?? "tfaml.yml",
    format: readChoice(inputs, "format", ["text", "json"], "text"),
    base: inputs.get("base"),
    updateLock: readBoolean(inputs, "update-lock", false)
  };
}
async function validate(inputs, out) {
  const s = readValidateSettings(inputs);
  const config = loadConfig(s.config, { knownRules: Object.keys(RULES) });
  const project = loadProject(config);
  const base = s.base ? openBaseRef(config.root, s.base) : void 0;
  const lock = readLock(config.root);
  const resolved = await resolveProject(project, { log: out.log });
  const result = runChecks({ project, resolved, lock, base });
  const files = 1 + project.environments.length + project.data.length + project.compute.length + project.jobs.length + project.endpoints.length;
  const report = { ...result, project: config.project, config: s.config, base: s.base, files };
  const json = toJson(report);
  out.print(s.format === "json" ? JSON.stringify(json, null, 2) + "\n" : toText(report, { color: out.mode === "cli" && process.stdout.isTTY === true && !process.env.NO_COLOR }));
  if (s.updateLock) {
    const merged = mergeLock(lock ?? { lockfileVersion: 1, environments: {}, data: {}, models: {} }, resolved, config.model?.name);
    if (merged.conflicts.length === 0) {
      writeLock(config.root, merged.lock);
      out.log.info(`tfaml.lock updated${merged.added.length ? `: added ${merged.added.join(", ")}` : ""}`);
    } else {
      out.log.warning("tfaml.lock not updated: some locked versions changed content (see env/immutable-conflict and data/hash-mismatch)");
    }
  }
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  for (const f of result.findings) out.annotate(f, path7.relative(workspace, path7.join(config.root, f.file)).split(path7.sep).join("/"));
  await out.summary(toMarkdown(report));
  const c = counts(result);
  out.setOutput("errors", String(c.errors));
  out.setOutput("warnings", String(c.warnings));
  out.setOutput("report-json", JSON.stringify(json));
  return c.errors > 0 ? 1 : 0;
}
export {
  VALIDATE_INPUTS,
  VALIDATE_OUTPUTS,
  readValidateSettings,
  validate
};
