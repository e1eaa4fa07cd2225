/**
 * The reference forms Azure ML CLI v2 YAML uses for environments, data and models (docs/tfaml-yml.md, "Reference forms").
 * Every string parses to something: an unrecognised form is `other`, never an exception.
 */

export type AssetRef =
  /** azureml:<name>:<version> */
  | { kind: 'versioned'; name: string; version: string }
  /** azureml:<name>@<label> (latest included) */
  | { kind: 'label'; name: string; label: string }
  /** azureml:<name> with neither version nor label */
  | { kind: 'unversioned'; name: string }
  /** azureml://registries/<r>/<type>/<name>/versions/<v> */
  | { kind: 'registry-versioned'; registry: string; assetType: string; name: string; version: string }
  /** azureml://registries/<r>/<type>/<name>/labels/<label> */
  | { kind: 'registry-label'; registry: string; assetType: string; name: string; label: string }
  /** azureml://subscriptions/.../workspaces/<ws>/<type>/<name>/versions/<v> (a full workspace asset id) */
  | { kind: 'workspace-versioned'; assetType: string; name: string; version: string }
  /** file:./path — an asset defined in the repo */
  | { kind: 'file'; path: string }
  /** azureml://datastores/<store>/paths/... */
  | { kind: 'datastore'; datastore: string; path: string }
  /** https://, wasbs://, abfss://, … */
  | { kind: 'url'; url: string }
  /** ./local/path or any relative/absolute path */
  | { kind: 'local'; path: string }
  | { kind: 'other'; text: string };

export function parseAssetRef(text: string): AssetRef {
  const s = text.trim();
  let m: RegExpMatchArray | null;
  if ((m = s.match(/^azureml:\/\/registries\/([^/]+)\/([^/]+)\/([^/]+)\/versions\/([^/]+)\/?$/i))) {
    return { kind: 'registry-versioned', registry: m[1]!, assetType: m[2]!, name: m[3]!, version: m[4]! };
  }
  if ((m = s.match(/^azureml:\/\/registries\/([^/]+)\/([^/]+)\/([^/]+)\/labels\/([^/]+)\/?$/i))) {
    return { kind: 'registry-label', registry: m[1]!, assetType: m[2]!, name: m[3]!, label: m[4]! };
  }
  if ((m = s.match(/^azureml:\/\/registries\/([^/]+)\/([^/]+)\/([^/@]+)@([^/]+)\/?$/i))) {
    return { kind: 'registry-label', registry: m[1]!, assetType: m[2]!, name: m[3]!, label: m[4]! };
  }
  if ((m = s.match(/^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/i))) {
    return { kind: 'datastore', datastore: m[1]!, path: m[2]! };
  }
  if ((m = s.match(/^azureml:\/\/(?:subscriptions|locations)\/.*\/([^/]+)\/([^/]+)\/versions\/([^/]+)\/?$/i))) {
    return { kind: 'workspace-versioned', assetType: m[1]!, name: m[2]!, version: m[3]! };
  }
  if (/^azureml:\/\//i.test(s)) return { kind: 'other', text: s };
  if ((m = s.match(/^azureml:([^:@/]+)@(.+)$/i))) return { kind: 'label', name: m[1]!, label: m[2]! };
  if ((m = s.match(/^azureml:([^:@/]+):([^:@/]+)$/i))) return { kind: 'versioned', name: m[1]!, version: m[2]! };
  if ((m = s.match(/^azureml:([^:@/]+)$/i))) return { kind: 'unversioned', name: m[1]! };
  if ((m = s.match(/^file:(.+)$/i))) return { kind: 'file', path: m[1]! };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return { kind: 'url', url: s };
  if (s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || /^[\w.-]+(\/[\w.-]*)*$/.test(s))
    return { kind: 'local', path: s };
  return { kind: 'other', text: s };
}
