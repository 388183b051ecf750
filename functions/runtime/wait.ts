/** Waiting, where an answer must not come too soon. */
import type { Deps } from './clients';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Cognito revokes by time after a global sign-out: a sign-in made just after it is often revoked with
 * it (aws/aws-sdk-java#2449). Waiting settings.signOutSettleMs lets the next sign-in keep its tokens.
 */
export async function waitOutRevocation(deps: Deps): Promise<void> {
  if (deps.config.signOutSettleMs > 0) await sleep(deps.config.signOutSettleMs);
}
