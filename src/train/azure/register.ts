/** The model a finished job wrote, registered in the experiment workspace with its metrics and lineage. */
import type { JobInfo, RegisteredModel, Workspace } from '../../core/ports.js';
import { METRIC_TAG_PREFIX, MODEL_PROPS } from '../../core/tags.js';

/** Registers the job's model output in the workspace with metrics and lineage; a re-run finds the version it made. */
export async function registerJobModel(
  ws: Workspace,
  o: {
    name: string;
    job: JobInfo;
    output: string;
    metrics: Record<string, number>;
    tags: Record<string, string>;
    contentHash?: string;
  },
): Promise<RegisteredModel> {
  const versions = await ws.listModelVersions(o.name);
  const mine = versions.find((v) => v.properties[MODEL_PROPS.job] === o.job.name);
  if (mine) return mine;
  const next = String(Math.max(0, ...versions.map((v) => (/^\d+$/.test(v.version) ? Number(v.version) : 0))) + 1);
  const metricTags = Object.fromEntries(
    Object.entries(o.metrics).map(([k, v]) => [`${METRIC_TAG_PREFIX}${k}`, String(v)]),
  );
  return ws.createModelVersion({
    name: o.name,
    version: next,
    modelUri: `azureml://jobs/${o.job.name}/outputs/${o.output}/paths/`,
    modelType: 'custom_model',
    tags: { ...o.tags, ...metricTags },
    properties: {
      [MODEL_PROPS.contentHash]: o.contentHash ?? `azureml-job:${o.job.name}`,
      [MODEL_PROPS.metrics]: JSON.stringify(o.metrics),
      [MODEL_PROPS.job]: o.job.name,
    },
  });
}
