/**
 * What Azure ML's job PUT accepts at api-version 2022-10-01, as Microsoft's REST spec states it (azure-rest-api-specs,
 * specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2022-10-01/mfe.json:
 * JobBaseResource, JobBase, CommandJob, JobInput and its kinds, JobOutput, InputDeliveryMode, OutputDeliveryMode,
 * DistributionConfiguration and its kinds, JobLimits, JobResourceConfiguration). The fake ARM answers a body that
 * breaks it with 400 and an ARM ErrorResponse, as the service does, so a body the real service would refuse fails a
 * test instead of passing the fake. The in-memory workspace holds its job specs to the same enums.
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const JOB_TYPES = ['AutoML', 'Command', 'Sweep', 'Pipeline'] as const;
const INPUT_TYPES = [
  'literal',
  'uri_file',
  'uri_folder',
  'mltable',
  'custom_model',
  'mlflow_model',
  'triton_model',
] as const;
const OUTPUT_TYPES = ['uri_file', 'uri_folder', 'mltable', 'custom_model', 'mlflow_model', 'triton_model'];
export const INPUT_MODES = ['ReadOnlyMount', 'ReadWriteMount', 'Download', 'Direct', 'EvalMount', 'EvalDownload'];
export const OUTPUT_MODES = ['ReadWriteMount', 'Upload'];
export const DISTRIBUTION_TYPES = ['PyTorch', 'TensorFlow', 'Mpi'];
/** The properties each distribution kind has (additionalProperties: false in the spec). */
const DISTRIBUTION_PROPS: Record<string, string[]> = {
  PyTorch: ['distributionType', 'processCountPerInstance'],
  Mpi: ['distributionType', 'processCountPerInstance'],
  TensorFlow: ['distributionType', 'workerCount', 'parameterServerCount'],
};

export interface ContractProblem {
  target: string;
  message: string;
}

const int32 = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;

/** The problems of a job PUT body; empty when the service would take it. */
export function jobPutProblems(body: unknown): ContractProblem[] {
  const out: ContractProblem[] = [];
  const bad = (target: string, message: string) => void out.push({ target, message });
  const oneOf = (target: string, v: unknown, allowed: readonly string[], required = true) => {
    if (v === undefined || v === null) {
      if (required) bad(target, `A value for '${target}' is required.`);
    } else if (typeof v !== 'string' || !allowed.includes(v))
      bad(target, `Requested value '${String(v)}' was not found. Valid values: ${allowed.join(', ')}.`);
  };
  if (!isObj(body) || !isObj(body.properties)) {
    bad('properties', "A value for 'properties' is required.");
    return out;
  }
  const p = body.properties;
  oneOf('properties.jobType', p.jobType, JOB_TYPES);
  if (p.jobType !== 'Command') {
    if (p.jobType !== undefined && JOB_TYPES.includes(p.jobType as never))
      bad('properties.jobType', `the fake ARM takes Command jobs only, not ${String(p.jobType)}`);
    return out;
  }
  for (const k of ['command', 'environmentId'])
    if (typeof p[k] !== 'string' || !(p[k] as string).length)
      bad(`properties.${k}`, `A value for 'properties.${k}' is required.`);
  for (const [name, v] of Object.entries(isObj(p.inputs) ? p.inputs : {})) {
    const at = `properties.inputs.${name}`;
    if (!isObj(v)) {
      bad(at, 'an input must be an object');
      continue;
    }
    oneOf(`${at}.jobInputType`, v.jobInputType, INPUT_TYPES);
    if (v.jobInputType === 'literal') {
      if (typeof v.value !== 'string') bad(`${at}.value`, `A value for '${at}.value' is required (a string).`);
    } else if (INPUT_TYPES.includes(v.jobInputType as never)) {
      if (typeof v.uri !== 'string' || !v.uri) bad(`${at}.uri`, `A value for '${at}.uri' is required.`);
      oneOf(`${at}.mode`, v.mode, INPUT_MODES, false);
    }
  }
  for (const [name, v] of Object.entries(isObj(p.outputs) ? p.outputs : {})) {
    const at = `properties.outputs.${name}`;
    if (!isObj(v)) {
      bad(at, 'an output must be an object');
      continue;
    }
    oneOf(`${at}.jobOutputType`, v.jobOutputType, OUTPUT_TYPES);
    oneOf(`${at}.mode`, v.mode, OUTPUT_MODES, false);
  }
  if (p.distribution !== undefined && p.distribution !== null) {
    const d = p.distribution;
    if (!isObj(d)) bad('properties.distribution', 'distribution must be an object');
    else {
      oneOf('properties.distribution.distributionType', d.distributionType, DISTRIBUTION_TYPES);
      const allowed = DISTRIBUTION_PROPS[String(d.distributionType)];
      for (const [k, v] of Object.entries(d)) {
        if (allowed && !allowed.includes(k))
          bad(`properties.distribution.${k}`, `${String(d.distributionType)} distribution has no property '${k}'.`);
        else if (k !== 'distributionType' && v !== null && !int32(v))
          bad(`properties.distribution.${k}`, `'${k}' must be an int32, not ${JSON.stringify(v)}.`);
      }
    }
  }
  if (isObj(p.resources)) {
    const r = p.resources;
    if (r.instanceCount !== undefined && (!int32(r.instanceCount) || (r.instanceCount as number) < 1))
      bad('properties.resources.instanceCount', `'instanceCount' must be a positive int32.`);
    if (r.instanceType !== undefined && typeof r.instanceType !== 'string')
      bad('properties.resources.instanceType', `'instanceType' must be a string.`);
  }
  if (p.limits !== undefined && p.limits !== null) {
    const l = p.limits;
    if (!isObj(l)) bad('properties.limits', 'limits must be an object');
    else {
      oneOf('properties.limits.jobLimitsType', l.jobLimitsType, ['Command']);
      if (
        l.timeout !== undefined &&
        (typeof l.timeout !== 'string' || !/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(l.timeout))
      )
        bad('properties.limits.timeout', `'timeout' must be an ISO 8601 duration, not ${JSON.stringify(l.timeout)}.`);
    }
  }
  if (p.environmentVariables !== undefined && isObj(p.environmentVariables))
    for (const [k, v] of Object.entries(p.environmentVariables))
      if (typeof v !== 'string') bad(`properties.environmentVariables.${k}`, 'environment variables are strings');
  return out;
}

/** The ARM ErrorResponse Azure ML answers a body it cannot take with (400 UserError, one detail per problem). */
export function contractError(problems: ContractProblem[]): Json {
  return {
    error: {
      code: 'UserError',
      message: `The request is invalid: ${problems.map((q) => `${q.target}: ${q.message}`).join(' ')}`,
      target: problems[0]?.target,
      details: problems.map((q) => ({ code: 'InvalidRequestContent', target: q.target, message: q.message })),
    },
  };
}
