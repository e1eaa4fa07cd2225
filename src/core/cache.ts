/**
 * Where a project's caches live (the data hash's stat cache, extracted features, the daily price cache). A pull
 * request controls its checkout, `.tfaml/` included, so on a runner no cache is ever read from there: a committed
 * price cache could make a PR's training look free, a committed stat cache could vouch for data that changed. On a
 * runner caches live under RUNNER_TEMP (carried between runs only by actions/cache, keyed by what determines them);
 * elsewhere in the project's own `.tfaml/cache`, as a developer expects.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export function projectCacheDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_ACTIONS === 'true' && env.RUNNER_TEMP) {
    const key = createHash('sha256').update(path.resolve(projectRoot)).digest('hex').slice(0, 16);
    return path.join(env.RUNNER_TEMP, 'tfaml', 'cache', key);
  }
  return path.join(projectRoot, '.tfaml', 'cache');
}
