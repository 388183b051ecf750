/** The caller's own account, through Cognito's token-bound calls: a revoked token is refused at once. */
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { liveCaller } from './caller';
import type { Deps } from './clients';
import type { CallerIdentity } from '../../schema/function-event';
import { awsCall, fail, MESSAGES } from './errors';
import type { LogoutPayload, UserInfo } from '../../schema/generated/types';
import { waitOutRevocation } from './wait';

export async function userinfo(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
): Promise<UserInfo> {
  const { sub, user } = await liveCaller(deps, identity, accessToken);
  const attribute = (name: string): string | null =>
    user.UserAttributes?.find((a) => a.Name === name)?.Value ?? null;
  return {
    userId: sub,
    email: attribute('email') ?? '',
    fullName: attribute('name'),
    phoneNumber: attribute('phone_number'),
    // Groups as the verified token states them (GetUser does not return groups).
    groups: [...(identity?.groups ?? [])],
    mfaEnabled: (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'),
  };
}

/**
 * Global sign-out: every refresh token of the user stops working, and Cognito refuses the access
 * token. GlobalSignOut checks the token itself, so no GetUser first.
 */
export async function logout(deps: Deps, accessToken: string | undefined): Promise<LogoutPayload> {
  if (!accessToken) throw fail('NOT_AUTHORIZED', MESSAGES.invalidToken);
  await awsCall({ notAuthorized: MESSAGES.invalidToken }, () =>
    deps.cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken })),
  );
  // The answer waits the revocation window out, so "log out, then log in" works for scripts too.
  await waitOutRevocation(deps);
  return { signedOut: true };
}
