/**
 * The caller of a Cognito-authorised field, checked with Cognito itself: AppSync verifies the token's
 * signature and expiry, but only Cognito knows that a global sign-out revoked it. Functions that act on
 * an account (or as an administrator) ask Cognito first, with the token-bound GetUser (no IAM needed).
 */
import {
  AdminListGroupsForUserCommand,
  GetUserCommand,
  type GetUserCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from '../runtime/clients';
import type { CallerIdentity } from '../../schema/function-event';
import { awsCall, fail } from '../runtime/errors';
import { MESSAGES } from '../../schema/messages';

export interface LiveCaller {
  readonly sub: string;
  /** Cognito's internal user name (the sub in this pool), for the Admin* calls. */
  readonly username: string;
  readonly accessToken: string;
  readonly user: GetUserCommandOutput;
}

export async function liveCaller(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
): Promise<LiveCaller> {
  if (!accessToken) throw fail('NOT_AUTHORIZED', MESSAGES.invalidToken);
  const user = await awsCall({ notAuthorized: MESSAGES.invalidToken }, () =>
    deps.cognito.send(new GetUserCommand({ AccessToken: accessToken })),
  );
  const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
  // The token AppSync verified and the account Cognito answered for must be the same person.
  if (!sub || !user.Username || (identity && identity.sub !== sub)) {
    throw fail('NOT_AUTHORIZED', MESSAGES.invalidToken);
  }
  return { sub, username: user.Username, accessToken, user };
}

/** The groups the user is in now, from the pool (a token's `cognito:groups` is as old as the token). */
export async function groupsOf(deps: Deps, username: string): Promise<string[]> {
  const groups: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.cognito.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: deps.config.userPoolId,
        Username: username,
        Limit: 60,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    groups.push(...(page.Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : [])));
    nextToken = page.NextToken;
  } while (nextToken);
  return groups.sort();
}
