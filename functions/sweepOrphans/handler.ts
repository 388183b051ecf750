/**
 * Scheduled (not a GraphQL field): deletes the bucket objects of accounts that were deleted around the
 * API with Cognito's DeleteUser. See functions/domain/orphans.ts.
 */
import { createDeps, type Deps } from '../runtime/clients';
import { readConfig } from '../runtime/config';
import { logger } from '../runtime/logger';
import { sweepOrphans, type SweepResult } from '../domain/orphans';

let deps: Deps | undefined;
// Built while Lambda initialises the function; a bad configuration fails the first run instead.
try {
  deps = createDeps(readConfig());
} catch {
  // The first run reads the configuration again and fails with the setting's name.
}

export const handler = async (): Promise<SweepResult> => {
  deps ??= createDeps(readConfig());
  const result = await sweepOrphans(deps);
  logger.info('orphaned objects swept', { ...result });
  return result;
};
