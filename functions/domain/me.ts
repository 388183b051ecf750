/**
 * The caller's own account: userinfo, the data-subject export (exportMyData) and erasure (deleteMe).
 * Every call goes through Cognito's token-bound calls first, so a token revoked by logout is refused
 * at once. What the API holds about a person is the Cognito user (attributes, groups, MFA settings,
 * dates) and the objects it stored in the MFA bucket under the user's sub (stored-objects.ts).
 */
import {
  AdminGetUserCommand,
  DeleteUserCommand,
  type AdminGetUserCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CallerIdentity } from '../../schema/function-event';
import type { DeletePayload, UserInfo } from '../../schema/generated/types';
import { MESSAGES } from '../../schema/messages';
import type { Deps } from '../runtime/clients';
import { awsCall } from '../runtime/errors';
import { groupsOf, liveCaller } from './caller';
import { remainingRecoveryCodes } from './recovery-codes';
import { deleteObjectsOfDeleted } from './stored-objects';

const asCaller = <T>(run: () => Promise<T>): Promise<T> =>
  awsCall({ notAuthorized: MESSAGES.invalidToken }, run);

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
 * Deletes the caller's account. The token is checked with Cognito first (a token revoked by logout
 * must not erase anything). The user goes before the S3 objects, so that no failure half-way leaves
 * an account that lost its recovery codes, and anything stored for the account after this point (a
 * login racing the deletion) is already covered by the deletion that follows or refused by Cognito.
 * If deleting the objects fails, the account is still gone and the answer says so: the daily sweep
 * (orphans.ts) deletes the objects of every user id the pool no longer knows.
 */
export async function deleteMe(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
): Promise<DeletePayload> {
  const caller = await liveCaller(deps, identity, accessToken);
  await asCaller(() => deps.cognito.send(new DeleteUserCommand({ AccessToken: caller.accessToken })));
  await deleteObjectsOfDeleted(deps, caller.sub);
  return { deleted: true };
}

const isoOf = (date: Date | undefined): string | null => (date ? new Date(date).toISOString() : null);

/** The data-subject access export: a JSON object (AppSync serialises AWSJSON as a string on the wire). */
export interface AccountExport {
  exportedAt: string;
  userId: string;
  /** Cognito's user attributes, as Cognito stores them (no secret is ever an attribute). */
  attributes: Record<string, string>;
  groups: string[];
  account: {
    status: string | null;
    enabled: boolean;
    createdAt: string | null;
    lastModifiedAt: string | null;
  };
  mfa: { enabled: boolean; preferred: string | null; methods: string[] };
  /** How many one-time codes remain unused; the codes and their hashes are never exported. */
  recoveryCodes: { remaining: number };
}

/**
 * Everything the API holds about the caller. The TOTP secret, the password, tokens and the recovery
 * codes (or their hashes) are secrets, not personal data to hand back: none of them is read here, so
 * none can leak into the export.
 */
export async function exportMyData(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
): Promise<AccountExport> {
  const caller = await liveCaller(deps, identity, accessToken);
  const user: AdminGetUserCommandOutput = await asCaller(() =>
    deps.cognito.send(
      new AdminGetUserCommand({ UserPoolId: deps.config.userPoolId, Username: caller.username }),
    ),
  );
  const [groups, remaining] = await asCaller(() =>
    Promise.all([groupsOf(deps, caller.username), remainingRecoveryCodes(deps, caller.sub)]),
  );
  const methods = [...(user.UserMFASettingList ?? [])];
  return {
    exportedAt: deps.now().toISOString(),
    userId: caller.sub,
    attributes: Object.fromEntries(
      (user.UserAttributes ?? []).flatMap((a) =>
        a.Name && a.Value !== undefined ? [[a.Name, a.Value]] : [],
      ),
    ),
    groups,
    account: {
      status: user.UserStatus ?? null,
      enabled: user.Enabled ?? false,
      createdAt: isoOf(user.UserCreateDate),
      lastModifiedAt: isoOf(user.UserLastModifiedDate),
    },
    mfa: {
      enabled: methods.includes('SOFTWARE_TOKEN_MFA'),
      preferred: user.PreferredMfaSetting ?? null,
      methods,
    },
    recoveryCodes: { remaining },
  };
}
