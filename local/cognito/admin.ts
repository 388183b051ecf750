/**
 * Administrator calls (IAM-authorised in AWS; here anyone on loopback): AdminCreateUser,
 * AdminDeleteUser, AdminResetUserPassword, AdminSetUserMFAPreference, AdminUserGlobalSignOut.
 * Unlike the public calls, these reveal whether a user exists, as the API reference documents.
 */
import { randomUUID } from 'node:crypto';
import type {
  AdminCreateUserRequest,
  AdminDeleteUserRequest,
  AdminResetUserPasswordRequest,
  AdminSetUserMFAPreferenceRequest,
  AdminUserGlobalSignOutRequest,
  AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { User } from 'cognito-local/lib/services/userPoolService';
import { applyMfaPreference, sendResetCode, verifiedEmail } from './account';
import {
  assertUserPoolId,
  attribute,
  deleteUser,
  findUser,
  globalSignOutUser,
  pool,
  requireUser,
  saveUser,
  type Core,
} from './core';
import { cognitoError, MESSAGES } from './errors';
import { sendInvitation } from './mail';
import { assertPasswordMeetsPolicy, generateTemporaryPassword } from './passwords';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const E164 = /^\+[1-9][0-9]{1,14}$/;

export async function adminCreateUser(core: Core, req: AdminCreateUserRequest) {
  assertUserPoolId(core, req.UserPoolId);
  const username = req.Username ?? '';
  // The pool uses the e-mail address as user name (UsernameAttributes: email).
  if (!EMAIL.test(username)) throw cognitoError('InvalidParameterException', 'Username should be an email.');
  if (req.TemporaryPassword !== undefined) {
    assertPasswordMeetsPolicy(core.settings.passwordPolicy, req.TemporaryPassword);
  }
  const existing = await findUser(core, username);
  if (req.MessageAction === 'RESEND') return resendInvitation(core, existing, req);
  if (existing)
    throw cognitoError('UsernameExistsException', 'An account with the given email already exists.');

  const attributes = await checkedAttributes(core, req.UserAttributes ?? []);
  if (!attributes.some((a) => a.Name === 'email')) attributes.push({ Name: 'email', Value: username });
  const sub = randomUUID();
  const now = core.clock.get();
  const temporaryPassword = req.TemporaryPassword ?? generateTemporaryPassword(core.settings.passwordPolicy);
  const user: User = {
    // With e-mail as user name, Cognito's internal user name is a UUID, the same as sub.
    Username: sub,
    Password: temporaryPassword,
    Attributes: [{ Name: 'sub', Value: sub }, ...attributes].sort((a, b) => a.Name.localeCompare(b.Name)),
    Enabled: true,
    UserStatus: 'FORCE_CHANGE_PASSWORD',
    UserCreateDate: now,
    UserLastModifiedDate: now,
    RefreshTokens: [],
  };
  await (await pool(core)).saveUser(core.ctx, user);
  core.state.user(sub).temporaryPasswordIssuedAt = core.now();
  if (req.MessageAction !== 'SUPPRESS') await deliverInvitation(core, user, req, temporaryPassword);
  return { User: userType(user) };
}

/** RESEND: a new temporary password, and its validity starts again (only before the first sign-in). */
async function resendInvitation(core: Core, user: User | null, req: AdminCreateUserRequest) {
  if (!user) throw cognitoError('UserNotFoundException', MESSAGES.userDoesNotExist);
  if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD') {
    throw cognitoError(
      'UnsupportedUserStateException',
      `Resend not possible. ${user.Username} status is not FORCE_CHANGE_PASSWORD`,
    );
  }
  const temporaryPassword = req.TemporaryPassword ?? generateTemporaryPassword(core.settings.passwordPolicy);
  const updated = { ...user, Password: temporaryPassword, UserLastModifiedDate: core.clock.get() };
  await (await pool(core)).saveUser(core.ctx, updated);
  core.state.user(user.Username).temporaryPasswordIssuedAt = core.now();
  await deliverInvitation(core, updated, req, temporaryPassword);
  return { User: userType(updated) };
}

async function deliverInvitation(
  core: Core,
  user: User,
  req: AdminCreateUserRequest,
  temporaryPassword: string,
) {
  // Cognito's default medium is SMS; this stack delivers e-mail only (SMS is listed as not reproduced).
  const mediums = req.DesiredDeliveryMediums ?? ['SMS'];
  const email = attribute(user, 'email');
  if (mediums.includes('EMAIL') && email) {
    await sendInvitation(core, email, temporaryPassword);
  } else if (!(mediums.includes('SMS') && attribute(user, 'phone_number'))) {
    throw cognitoError(
      'InvalidParameterException',
      'User has no attribute matching desired delivery mediums',
    );
  }
}

async function checkedAttributes(
  core: Core,
  attributes: AttributeType[],
): Promise<{ Name: string; Value: string }[]> {
  const schema = (await pool(core)).options.SchemaAttributes ?? [];
  return attributes.map(({ Name, Value }) => {
    if (!Name || (schema.length > 0 && !schema.some((s) => s.Name === Name))) {
      throw cognitoError(
        'InvalidParameterException',
        `Attributes did not conform to the schema: ${String(Name)}: Attribute does not exist in the schema.`,
      );
    }
    if (Name === 'sub') {
      throw cognitoError(
        'InvalidParameterException',
        'Attributes did not conform to the schema: sub: Attribute cannot be updated.',
      );
    }
    if (Name === 'email' && !EMAIL.test(Value ?? '')) {
      throw cognitoError('InvalidParameterException', 'Invalid email address format.');
    }
    if (Name === 'phone_number' && !E164.test(Value ?? '')) {
      throw cognitoError('InvalidParameterException', 'Invalid phone number format.');
    }
    return { Name, Value: Value ?? '' };
  });
}

const userType = (user: User) => ({
  Username: user.Username,
  Attributes: user.Attributes,
  UserCreateDate: user.UserCreateDate,
  UserLastModifiedDate: user.UserLastModifiedDate,
  Enabled: user.Enabled,
  UserStatus: user.UserStatus,
  ...(user.MFAOptions ? { MFAOptions: user.MFAOptions } : {}),
});

export async function adminDeleteUser(core: Core, req: AdminDeleteUserRequest) {
  assertUserPoolId(core, req.UserPoolId);
  await deleteUser(core, await requireUser(core, req.Username));
  return {};
}

/**
 * The password stops working (RESET_REQUIRED: sign-in answers PasswordResetRequiredException) and, when
 * the user has a verified e-mail, a reset code is sent for ConfirmForgotPassword.
 */
export async function adminResetUserPassword(core: Core, req: AdminResetUserPasswordRequest) {
  assertUserPoolId(core, req.UserPoolId);
  const user = await requireUser(core, req.Username);
  if (!user.Enabled) throw cognitoError('NotAuthorizedException', MESSAGES.userDisabled);
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    throw cognitoError('NotAuthorizedException', MESSAGES.cannotResetInThisState);
  }
  await saveUser(core, { ...user, UserStatus: 'RESET_REQUIRED' });
  const email = verifiedEmail(user);
  if (email) await sendResetCode(core, user, email);
  return {};
}

export async function adminSetUserMfaPreference(core: Core, req: AdminSetUserMFAPreferenceRequest) {
  assertUserPoolId(core, req.UserPoolId);
  await applyMfaPreference(core, await requireUser(core, req.Username), req);
  return {};
}

export async function adminUserGlobalSignOut(core: Core, req: AdminUserGlobalSignOutRequest) {
  assertUserPoolId(core, req.UserPoolId);
  const user = await requireUser(core, req.Username);
  globalSignOutUser(core, user.Username);
  return {};
}
