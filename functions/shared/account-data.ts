/**
 * What the API holds about a person, and its erasure: the Cognito user (attributes, groups, MFA
 * settings, dates) and the objects this API stored in the MFA bucket under the user's sub (the
 * enrolment QR code and the recovery-code hashes).
 */
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  DeleteUserCommand,
  type AdminGetUserCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from './clients';
import type { CallerIdentity } from '../../schema/function-event';
import { liveCaller } from './caller';
import { deleteQrCode } from './enrolment';
import { awsCall, MESSAGES } from './errors';
import { deleteRecoveryCodes, remainingRecoveryCodes } from './recovery-codes';
import type { DeletePayload } from '../../schema/generated/types';

const asCaller = <T>(run: () => Promise<T>): Promise<T> =>
  awsCall({ notAuthorized: MESSAGES.invalidToken }, run);

/** Every object this API keeps for a user. Deleting a missing object succeeds, so a retry is safe. */
export async function deleteStoredObjects(deps: Deps, userId: string): Promise<void> {
  await Promise.all([deleteQrCode(deps, userId), deleteRecoveryCodes(deps, userId)]);
}

/**
 * Deletes the caller's account. The token is checked with Cognito first (a token revoked by logout
 * must not erase anything). The S3 objects go before the user: if deleting the user then fails, the
 * caller still holds a working token and can simply call deleteMe again; the other way round, a
 * failure after the user is gone would leave personal data behind with nobody able to ask for it.
 */
export async function deleteMe(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
): Promise<DeletePayload> {
  const caller = await liveCaller(deps, identity, accessToken);
  await asCaller(() => deleteStoredObjects(deps, caller.sub));
  await asCaller(() => deps.cognito.send(new DeleteUserCommand({ AccessToken: caller.accessToken })));
  return { deleted: true };
}

async function groupsOf(deps: Deps, username: string): Promise<string[]> {
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
