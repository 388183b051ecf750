/**
 * Administrator operations. AppSync lets only the `admins` group in (the schema's directive); the
 * functions check the group again from the verified identity, and check the administrator's token
 * with Cognito, so a schema slip or a token revoked by logout does not open them.
 *
 * Unknown e-mails get the answer a known one gets: these fields must not be an oracle for who has an
 * account, even to an administrator (a stolen admin token should not list the pool by guessing).
 */
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from '../runtime/clients';
import type { CallerIdentity } from '../../schema/function-event';
import { groupsOf, liveCaller, type LiveCaller } from './caller';
import { deleteObjectsOfDeleted } from './stored-objects';
import { deliveryTo, type Delivery } from './delivery';
import { awsCall, errorName, fail, mapAwsError } from '../runtime/errors';
import { logger } from '../runtime/logger';
import type {
  AdminDeleteUserInput,
  AdminResetUserPasswordInput,
  DeletePayload,
} from '../../schema/generated/types';
import { MESSAGES } from '../../schema/messages';

async function asAdmin(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
): Promise<LiveCaller> {
  // Defence in depth: AppSync's cognito_groups directive already refused anyone outside the group.
  if (!identity?.groups.includes(deps.config.adminGroup)) throw fail('FORBIDDEN', MESSAGES.adminOnly);
  const caller = await liveCaller(deps, identity, accessToken);
  // The token's group claim lasts as long as the token: removal from the group must count at once.
  const groups = await awsCall({ notAuthorized: MESSAGES.adminSessionInvalid }, () =>
    groupsOf(deps, caller.username),
  );
  if (!groups.includes(deps.config.adminGroup)) throw fail('FORBIDDEN', MESSAGES.adminOnly);
  return caller;
}

const mapped = (error: unknown): unknown =>
  mapAwsError(error, { notAuthorized: MESSAGES.adminSessionInvalid }) ?? error;

/**
 * The user's password stops working and Cognito e-mails a reset code (confirmForgotPassword sets the
 * new one). An unknown user, an invited one (who needs resendInvitation, not a reset) and a disabled
 * one get the same answer as a user who was sent a code; the log says which it was.
 */
export async function adminResetUserPassword(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
  input: AdminResetUserPasswordInput,
): Promise<Delivery> {
  await asAdmin(deps, identity, accessToken);
  try {
    await deps.cognito.send(
      new AdminResetUserPasswordCommand({ UserPoolId: deps.config.userPoolId, Username: input.email }),
    );
  } catch (error) {
    const name = errorName(error);
    if (name !== 'UserNotFoundException' && name !== 'NotAuthorizedException') throw mapped(error);
    logger.info('no reset code sent', { cause: name });
  }
  return deliveryTo(input.email);
}

/**
 * Deletes a user and the objects the API stored for them (objects first, for the reason deleteMe
 * gives). Deleting an unknown e-mail answers `deleted: true`: the outcome the administrator asked for
 * holds, and the answer says nothing about who had an account. An administrator cannot delete their
 * own account here: it would be easy to lock the last administrator out by mistake, and deleteMe is
 * the deliberate way to leave.
 */
export async function adminDeleteUser(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
  input: AdminDeleteUserInput,
): Promise<DeletePayload> {
  const admin = await asAdmin(deps, identity, accessToken);
  let sub: string | undefined;
  let username: string | undefined;
  try {
    const user = await deps.cognito.send(
      new AdminGetUserCommand({ UserPoolId: deps.config.userPoolId, Username: input.email }),
    );
    sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    username = user.Username;
  } catch (error) {
    if (errorName(error) !== 'UserNotFoundException') throw mapped(error);
  }
  if (!sub || !username) {
    logger.info('nothing to delete', { cause: 'UserNotFoundException' });
    return { deleted: true };
  }
  if (sub === admin.sub) throw fail('FORBIDDEN', MESSAGES.adminDeleteSelf);
  try {
    // By the pool's own user name, not the e-mail: the account we looked at is the one deleted.
    await deps.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: deps.config.userPoolId, Username: username }),
    );
  } catch (error) {
    // Deleted between our two calls: the outcome holds all the same.
    if (errorName(error) !== 'UserNotFoundException') throw mapped(error);
  }
  // After the user, as deleteMe does (me.ts says why).
  await deleteObjectsOfDeleted(deps, sub);
  return { deleted: true };
}
