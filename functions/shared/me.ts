/** The caller's own account, through Cognito's token-bound calls: a revoked token is refused at once. */
import { GetUserCommand, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from './clients';
import type { CallerIdentity } from './contract';
import { fail, mapAwsError, MESSAGES } from './errors';

export interface UserInfo {
  userId: string;
  email: string;
  fullName: string | null;
  phoneNumber: string | null;
  groups: string[];
  mfaEnabled: boolean;
}

function requireToken(accessToken: string | undefined): string {
  if (!accessToken) throw fail('NOT_AUTHORIZED', MESSAGES.invalidToken);
  return accessToken;
}

async function asCaller<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw mapAwsError(error, { notAuthorized: MESSAGES.invalidToken }) ?? error;
  }
}

export async function userinfo(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
): Promise<UserInfo> {
  const token = requireToken(accessToken);
  const user = await asCaller(() => deps.cognito.send(new GetUserCommand({ AccessToken: token })));
  const attribute = (name: string): string | null =>
    user.UserAttributes?.find((a) => a.Name === name)?.Value ?? null;
  const sub = attribute('sub');
  if (!sub || (identity && identity.sub !== sub)) throw fail('NOT_AUTHORIZED', MESSAGES.invalidToken);
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

/** Global sign-out: every refresh token of the user stops working, and Cognito refuses the access token. */
export async function logout(deps: Deps, accessToken: string | undefined): Promise<{ signedOut: true }> {
  const token = requireToken(accessToken);
  await asCaller(() => deps.cognito.send(new GlobalSignOutCommand({ AccessToken: token })));
  return { signedOut: true };
}
