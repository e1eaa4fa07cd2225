/** doctor: what training would run on and why (src/gpu/doctor.ts over the facts of src/adapters/local/gpu.ts). */
import path from 'node:path';
import { gatherGpuFacts } from '../adapters/local/gpu.js';
import { readChoice, type Inputs, type Output } from '../core/io.js';
import { diagnose, renderText } from '../gpu/doctor.js';

export async function doctor(inputs: Inputs, out: Output): Promise<number> {
  const format = readChoice(inputs, 'format', ['text', 'json'], 'text');
  const facts = gatherGpuFacts(path.resolve(inputs.get('dir') ?? '.'));
  const d = diagnose(facts);
  const text = renderText(facts, d);
  out.print(format === 'json' ? JSON.stringify({ ...d, facts }, null, 2) + '\n' : text);
  await out.summary(['### tfaml doctor', '', '```', text.trimEnd(), '```', ''].join('\n'));
  out.setOutput('backend', d.backend);
  out.setOutput('gpu', d.verdict);
  // A GPU that training cannot use is a negative verdict; no GPU at all is fine (training uses the CPU path).
  return d.verdict === 'unusable' ? 1 : 0;
}
