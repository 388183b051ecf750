/**
 * Scheduled (not a GraphQL field): deletes the bucket objects of accounts that were deleted around the
 * API with Cognito's DeleteUser. See functions/shared/orphans.ts.
 */
import { createDeps, type Deps } from '../shared/clients';
import { readConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { sweepOrphans, type SweepResult } from '../shared/orphans';

let deps: Deps | undefined;

export const handler = async (): Promise<SweepResult> => {
  deps ??= createDeps(readConfig());
  const result = await sweepOrphans(deps);
  logger.info('orphaned objects swept', { ...result });
  return result;
};
