/**
 * The calls a signed-in user (access token) or an anonymous client makes about one account:
 * GetUser, ChangePassword, ForgotPassword, ConfirmForgotPassword, DeleteUser, GlobalSignOut,
 * RevokeToken, SetUserMFAPreference (Amazon Cognito user pools API reference, one page each).
 */
import type {
  ChangePasswordRequest,
  ConfirmForgotPasswordRequest,
  DeleteUserRequest,
  ForgotPasswordRequest,
  GetUserRequest,
  GlobalSignOutRequest,
  RevokeTokenRequest,
  SetUserMFAPreferenceRequest,
  SignUpRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import type { User } from 'cognito-local/lib/services/userPoolService';
import {
  appClient,
  attribute,
  authenticate,
  deleteUser,
  findUser,
  globalSignOutUser,
  pool,
  rotationGraceMs,
  saveUser,
  type Core,
} from './core';
import { cognitoError, MESSAGES } from './errors';
import { throttleKey } from './lockout';
import { delivery, newVerificationCode, sendCode } from './mail';
import { assertPasswordMeetsPolicy } from './passwords';
import { assertClientSecret, assertSecretHash } from './secrets';
import { RESET_WINDOW_MS, sha256 } from './state';

/** Cognito's reset codes last one hour. */
const RESET_CODE_VALIDITY_MS = 60 * 60 * 1000;

/**
 * Developer guide "Recovering user accounts": between 5 and 20 attempts an hour for a user to request
 * or enter a reset code (ForgotPassword and ConfirmForgotPassword together), depending on risk. Local
 * choice: 5, the lower bound, so what passes here passes in AWS. Unknown names are counted the same
 * way (local choice: otherwise LimitExceededException would tell existing users apart). A refused
 * attempt does not count.
 */
const RESET_ATTEMPTS_PER_HOUR = 5;

function countResetAttempt(core: Core, user: User | null, name: string): void {
  const throttle = core.state.throttle(throttleKey(user, name));
  const now = core.now();
  const recent = (throttle.resetAttemptsMs ?? []).filter((at) => now - at < RESET_WINDOW_MS);
  if (recent.length >= RESET_ATTEMPTS_PER_HOUR) {
    throttle.resetAttemptsMs = recent;
    throw cognitoError('LimitExceededException', MESSAGES.attemptLimitExceeded);
  }
  throttle.resetAttemptsMs = [...recent, now];
}

/**
 * The pool is created with AllowAdminCreateUserOnly (pool.ts): accounts come from AdminCreateUser only,
 * and Cognito refuses self-service sign-up (SignUp, "AdminCreateUserConfigType").
 */
export async function signUp(core: Core, req: SignUpRequest): Promise<never> {
  assertSecretHash(await appClient(core, req.ClientId), req.Username, req.SecretHash);
  throw cognitoError('NotAuthorizedException', 'SignUp is not permitted for this user pool');
}

export async function getUser(core: Core, req: GetUserRequest) {
  const user = await authenticate(core, req.AccessToken);
  return {
    Username: user.Username,
    UserAttributes: user.Attributes,
    ...(user.MFAOptions ? { MFAOptions: user.MFAOptions } : {}),
    ...(user.PreferredMfaSetting ? { PreferredMfaSetting: user.PreferredMfaSetting } : {}),
    ...(user.UserMFASettingList ? { UserMFASettingList: user.UserMFASettingList } : {}),
  };
}

export async function changePassword(core: Core, req: ChangePasswordRequest) {
  const user = await authenticate(core, req.AccessToken);
  if (user.Password !== req.PreviousPassword) {
    throw cognitoError('NotAuthorizedException', MESSAGES.incorrectCredentials);
  }
  assertPasswordMeetsPolicy(core.settings.passwordPolicy, req.ProposedPassword);
  await saveUser(core, { ...user, Password: req.ProposedPassword });
  return {};
}

/**
 * Sends a reset code to the verified e-mail. With PreventUserExistenceErrors ENABLED an unknown (or
 * disabled) user gets a simulated delivery, so the answer does not tell whether the account exists.
 */
export async function forgotPassword(core: Core, req: ForgotPasswordRequest) {
  const client = await appClient(core, req.ClientId);
  // Over the name as sent, so an unknown name is refused or answered just as a known one.
  assertSecretHash(client, req.Username, req.SecretHash);
  const user = await findUser(core, req.Username);
  countResetAttempt(core, user, req.Username ?? '');
  if (!user || !user.Enabled) {
    if (client.PreventUserExistenceErrors !== 'ENABLED') {
      throw cognitoError('UserNotFoundException', MESSAGES.userDoesNotExist);
    }
    return { CodeDeliveryDetails: delivery(req.Username ?? '') };
  }
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    throw cognitoError('NotAuthorizedException', MESSAGES.cannotResetInThisState);
  }
  const email = verifiedEmail(user);
  if (!email) {
    throw cognitoError(
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  await sendResetCode(core, user, email);
  return { CodeDeliveryDetails: delivery(email) };
}

export const verifiedEmail = (user: User) =>
  attribute(user, 'email_verified') === 'true' ? attribute(user, 'email') : undefined;

/** A new code replaces the previous one; it is stored hashed and works once. */
export async function sendResetCode(core: Core, user: User, email: string): Promise<void> {
  const code = newVerificationCode();
  core.state.user(user.Username).resetCode = {
    hash: sha256(code),
    expiresAt: core.now() + RESET_CODE_VALIDITY_MS,
  };
  await sendCode(core, email, code, 'password-reset');
}

/**
 * Developer guide "Managing error responses" (PreventUserExistenceErrors ENABLED) and
 * aws-amplify/amplify-js#13225: an unknown or disabled user gets CodeMismatchException, as a wrong code
 * does; an existing user with no code waiting gets ExpiredCodeException, as an expired code does.
 */
export async function confirmForgotPassword(core: Core, req: ConfirmForgotPasswordRequest) {
  const client = await appClient(core, req.ClientId);
  assertSecretHash(client, req.Username, req.SecretHash);
  const user = await findUser(core, req.Username);
  countResetAttempt(core, user, req.Username ?? '');
  if (!user || !user.Enabled) {
    if (!user && client.PreventUserExistenceErrors !== 'ENABLED') {
      throw cognitoError('UserNotFoundException', MESSAGES.userDoesNotExist);
    }
    throw cognitoError('CodeMismatchException', MESSAGES.verificationCodeMismatch);
  }
  const extras = core.state.user(user.Username);
  if (!extras.resetCode || core.now() > extras.resetCode.expiresAt) {
    throw cognitoError('ExpiredCodeException', MESSAGES.verificationCodeExpired);
  }
  if (extras.resetCode.hash !== sha256(req.ConfirmationCode ?? '')) {
    throw cognitoError('CodeMismatchException', MESSAGES.verificationCodeMismatch);
  }
  assertPasswordMeetsPolicy(core.settings.passwordPolicy, req.Password);
  delete extras.resetCode;
  await saveUser(core, { ...user, Password: req.Password, UserStatus: 'CONFIRMED' });
  return {};
}

export async function deleteMe(core: Core, req: DeleteUserRequest) {
  await deleteUser(core, await authenticate(core, req.AccessToken));
  return {};
}

/** Revokes every refresh token of the user and every access token issued before. */
export async function globalSignOut(core: Core, req: GlobalSignOutRequest) {
  const user = await authenticate(core, req.AccessToken);
  globalSignOutUser(core, user.Username);
  return {};
}

/**
 * Revokes one refresh token and the access tokens issued from it (same origin_jti); the user's other
 * sign-ins go on. A token that is not a live refresh token of this client is answered like RFC 7009
 * asks of a revocation endpoint: success, nothing revoked.
 */
export async function revokeToken(core: Core, req: RevokeTokenRequest) {
  const client = await appClient(core, req.ClientId);
  if (!client.EnableTokenRevocation) {
    throw cognitoError(
      'UnsupportedOperationException',
      'Token revocation is not enabled for this app client.',
    );
  }
  // RevokeToken declares no NotAuthorizedException; UnauthorizedException is its "not authorized".
  assertClientSecret(client, req.ClientSecret, 'UnauthorizedException');
  if (!req.Token) throw cognitoError('InvalidParameterException', 'Missing required parameter Token');
  if (req.Token.split('.').length === 3) {
    throw cognitoError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  }
  // Every token of the sign-in goes with it, the ones rotation issued included. A token that rotation
  // replaced and whose grace period is over is no longer live: nothing is revoked with it.
  const found = core.state.findByRefreshToken(req.Token);
  const spentAt = found?.token.supersededAtMs;
  const graceMs = rotationGraceMs(client) ?? 0;
  const live = found && (spentAt === undefined || core.now() < spentAt + graceMs);
  if (found && live && found.signIn.clientId === client.ClientId) found.signIn.revoked = true;
  return {};
}

export async function setUserMfaPreference(core: Core, req: SetUserMFAPreferenceRequest) {
  const user = await authenticate(core, req.AccessToken);
  await applyMfaPreference(core, user, req);
  return {};
}

/**
 * Shared by SetUserMFAPreference and AdminSetUserMFAPreference; this pool offers software tokens only.
 * In a pool that requires MFA, TOTP cannot be switched off: the call answers 200 and changes nothing
 * (API reference SoftwareTokenMfaSettingsType; aws-amplify/amplify-js#4722,
 * aws-amplify/amplify-flutter#5716). In an optional pool it really is switched off.
 */
export async function applyMfaPreference(
  core: Core,
  user: User,
  req: Pick<SetUserMFAPreferenceRequest, 'SoftwareTokenMfaSettings' | 'SMSMfaSettings' | 'EmailMfaSettings'>,
): Promise<void> {
  if (req.SMSMfaSettings?.Enabled || req.SMSMfaSettings?.PreferredMfa) {
    throw cognitoError(
      'InvalidParameterException',
      'User does not have delivery config set to turn on SMS_MFA',
    );
  }
  if (req.EmailMfaSettings?.Enabled || req.EmailMfaSettings?.PreferredMfa) {
    throw cognitoError('InvalidParameterException', 'Email MFA is not enabled for this user pool.');
  }
  const settings = req.SoftwareTokenMfaSettings;
  if (!settings) return;
  const enable = settings.Enabled === true || settings.PreferredMfa === true;
  if (!enable && (await pool(core)).options.MfaConfiguration === 'ON') return;
  let list = (user.UserMFASettingList ?? []).filter((m) => m !== 'SOFTWARE_TOKEN_MFA');
  let preferred = user.PreferredMfaSetting;
  if (enable) {
    if (!user.SoftwareTokenMfaConfiguration?.Verified) {
      throw cognitoError('InvalidParameterException', 'User has not verified software token mfa');
    }
    list = [...list, 'SOFTWARE_TOKEN_MFA'];
    if (settings.PreferredMfa) preferred = 'SOFTWARE_TOKEN_MFA';
  } else if (preferred === 'SOFTWARE_TOKEN_MFA') {
    preferred = undefined;
  }
  const { PreferredMfaSetting: _dropped, ...rest } = user;
  await saveUser(core, {
    ...rest,
    UserMFASettingList: list,
    ...(preferred ? { PreferredMfaSetting: preferred } : {}),
  });
}
