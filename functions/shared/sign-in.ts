/**
 * Confirming an account, enrolling an authenticator, signing in with password then TOTP, refreshing,
 * and recovering from a lost authenticator. Every refusal that could reveal whether an account
 * exists uses one message per operation.
 *
 * The pool's MFA is OPTIONAL and TOTP is enforced here (README, "Recovering a lost authenticator"):
 * Cognito answers a password with a SOFTWARE_TOKEN_MFA challenge for an account whose authenticator
 * is enabled, and with tokens for one that has none. Those tokens never go to the client as they are:
 * they start an enrolment, sealed in its session, and are handed out by confirmMfa once Cognito has
 * verified the user's first code. So every sign-in that yields tokens to a client has passed TOTP.
 */
import {
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from './clients';
import {
  answerNewPassword,
  answerTotp,
  refreshTokens,
  revokeSignIn,
  signInWithPassword,
  userIdOf,
  verifyAuthenticator,
} from './cognito';
import { deleteQrCode, startEnrolment, type UnprovenSignIn } from './enrolment';
import { openEnrolment } from './enrolment-session';
import { awsCall, fail, MESSAGES } from './errors';
import { logger } from './logger';
import { describePolicy, meetsPolicy } from './password-policy';
import {
  consumeRecoveryCode,
  currentRecoveryCodes,
  hasCompletedEnrolment,
  issueRecoveryCodes,
  releaseRecoveryCode,
} from './recovery-codes';
import { subOf, toAuthTokens } from './tokens';
import type {
  AuthTokens,
  ConfirmMfaInput,
  ConfirmMfaPayload,
  ConfirmUserInput,
  LoginInput,
  LoginPayload,
  MfaSetup,
  RecoverMfaInput,
  RefreshInput,
  VerifyMfaInput,
} from '../../schema/generated/types';
import { waitOutRevocation } from './wait';

export const REFUSALS = {
  confirmUser: 'Incorrect e-mail or temporary password.',
  login: 'Incorrect e-mail or password.',
  enrolment: 'Enrolment could not be completed. Start again.',
  refresh: 'The refresh token is not valid. Sign in again.',
  recoverMfa: 'Incorrect e-mail, password or recovery code.',
  /** Said only to someone who gave the right password, so it reveals nothing to a stranger. */
  authenticatorSuspended:
    "This account's authenticator is not active. Use recoverMfa with a recovery code to set up a new one.",
} as const;

/** The tokens of a sign-in that Cognito completed without a second factor (no authenticator enabled). */
function unproven(
  answer: Pick<InitiateAuthCommandOutput, 'AuthenticationResult'>,
): UnprovenSignIn | undefined {
  const result: AuthenticationResultType | undefined = answer.AuthenticationResult;
  return result?.AccessToken && result.RefreshToken
    ? { accessToken: result.AccessToken, refreshToken: result.RefreshToken }
    : undefined;
}

/** A sign-in the API will not use is ended at once; failing to end it must not change the answer. */
async function discard(deps: Deps, signIn: UnprovenSignIn): Promise<void> {
  await revokeSignIn(deps, signIn.refreshToken).catch((error: unknown) =>
    logger.warn('could not revoke an unused sign-in', { cause: (error as Error).name }),
  );
}

export async function confirmUser(deps: Deps, input: ConfirmUserInput): Promise<MfaSetup> {
  const policy = deps.config.passwordPolicy;
  const context = { notAuthorized: REFUSALS.confirmUser, policy };
  const signIn = await awsCall(context, () => signInWithPassword(deps, input.email, input.temporaryPassword));
  // Only an invited, unconfirmed account may be confirmed; anything else gets the one refusal.
  if (signIn.ChallengeName !== 'NEW_PASSWORD_REQUIRED') {
    const tokens = unproven(signIn);
    if (tokens) await discard(deps, tokens);
    throw fail('NOT_AUTHORIZED', REFUSALS.confirmUser);
  }
  if (!meetsPolicy(input.newPassword, policy)) {
    throw fail('INVALID_PASSWORD', describePolicy(policy), { policy });
  }
  const answered = await awsCall(context, () =>
    answerNewPassword(deps, signIn, input.email, input.newPassword),
  );
  const tokens = unproven(answered);
  const userId = userIdOf(signIn);
  if (!tokens || !userId) {
    throw new Error(`unexpected answer to NEW_PASSWORD_REQUIRED: ${answered.ChallengeName ?? 'no tokens'}`);
  }
  return awsCall(context, () => startEnrolment(deps, tokens, input.email, userId));
}

/**
 * Completes an enrolment: Cognito verifies the first code for the sealed sign-in, TOTP becomes the
 * account's second factor, recovery codes are issued, the QR object is deleted, and the user gets
 * tokens. A wrong code leaves the session usable for the next code; a completed one cannot be reused.
 */
export async function confirmMfa(deps: Deps, input: ConfirmMfaInput): Promise<ConfirmMfaPayload> {
  const context = { notAuthorized: REFUSALS.enrolment };
  const enrolment = await openEnrolment(deps, input.session, input.email);
  // Spent once any enrolment of this account completed after this one started (this one included).
  const current = await currentRecoveryCodes(deps, enrolment.sub);
  if (current?.enrolmentId !== enrolment.replaces) throw fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
  await awsCall(context, () => verifyAuthenticator(deps, enrolment.accessToken, input.otp));
  // Fresh tokens (and, with rotation on, the next refresh token) now that the factor is proven.
  const refreshed = await awsCall(context, () => refreshTokens(deps, enrolment.refreshToken));
  const tokens = toAuthTokens(refreshed, enrolment.refreshToken);
  // Written only over the state checked above: of two completions racing, one issues the codes.
  const recoveryCodes = await issueRecoveryCodes(
    deps,
    enrolment.sub,
    enrolment.enrolmentId,
    current && { etag: current.etag },
  );
  await deleteQrCode(deps, enrolment.sub);
  return { mfaStatus: 'CONFIRMED', tokens, recoveryCodes };
}

export async function login(deps: Deps, input: LoginInput): Promise<LoginPayload> {
  const context = { notAuthorized: REFUSALS.login };
  const signIn = await awsCall(context, () => signInWithPassword(deps, input.email, input.password));
  if (signIn.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
    return { challenge: 'SOFTWARE_TOKEN_MFA', session: signIn.Session!, mfaSetup: null };
  }
  if (signIn.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    // The caller knows the temporary password, so saying what to do next reveals nothing.
    throw fail(
      'NOT_AUTHORIZED',
      'This account is not confirmed yet: use confirmUser with the temporary password.',
    );
  }
  const tokens = unproven(signIn);
  if (!tokens) throw new Error(`unexpected sign-in answer: ${signIn.ChallengeName ?? 'no tokens'}`);
  const userId = subOf(tokens.accessToken);
  // An account that completed enrolment and now signs in without a challenge had its authenticator
  // suspended around the API (a direct AssociateSoftwareToken) or is half-way through recovery: only
  // a recovery code may set up a new one, never the password alone.
  if (await hasCompletedEnrolment(deps, userId)) {
    await discard(deps, tokens);
    throw fail('NOT_AUTHORIZED', REFUSALS.authenticatorSuspended);
  }
  // Confirmed but never finished enrolment: enrolment starts again with a new secret.
  const mfaSetup = await awsCall(context, () => startEnrolment(deps, tokens, input.email, userId));
  return { challenge: 'MFA_SETUP', session: mfaSetup.session, mfaSetup };
}

export async function verifyMfa(deps: Deps, input: VerifyMfaInput): Promise<AuthTokens> {
  const result = await awsCall({ notAuthorized: REFUSALS.login }, () =>
    answerTotp(deps, input.email, input.session, input.otp),
  );
  return toAuthTokens(result);
}

export async function refresh(deps: Deps, input: RefreshInput): Promise<AuthTokens> {
  const result = await awsCall({ notAuthorized: REFUSALS.refresh }, () =>
    refreshTokens(deps, input.refreshToken),
  );
  return toAuthTokens(result, input.refreshToken);
}

/**
 * Lost authenticator: the password proves the person, an unused recovery code proves they enrolled.
 * The code is consumed first (so of concurrent requests with one code exactly one goes on), then
 * every session of the account is ended (AdminUserGlobalSignOut), TOTP is switched off (possible
 * because the pool's MFA is OPTIONAL) and a new enrolment starts from a sign-in that needs no second
 * factor. If any of that fails, the code is
 * given back. The old secret stops working at once (no challenge asks for it), and the account's
 * sub and groups stay as they are.
 */
export async function recoverMfa(deps: Deps, input: RecoverMfaInput): Promise<MfaSetup> {
  const context = { notAuthorized: REFUSALS.recoverMfa };
  const first = await awsCall(context, () => signInWithPassword(deps, input.email, input.password));
  const suspended = unproven(first);
  const userId = suspended ? subOf(suspended.accessToken) : userIdOf(first);
  // An authenticator is enabled (the usual case), or it was suspended after enrolment completed;
  // an account that never enrolled has no recovery codes to use.
  const recoverable =
    userId !== undefined &&
    (first.ChallengeName === 'SOFTWARE_TOKEN_MFA' ||
      (suspended !== undefined && (await hasCompletedEnrolment(deps, userId))));
  if (
    !recoverable ||
    !(await awsCall(context, () => consumeRecoveryCode(deps, userId, input.recoveryCode)))
  ) {
    // Refused: the sign-in that found the account out is ended (on success the sign-out below ends it).
    if (suspended) await discard(deps, suspended);
    throw fail('NOT_AUTHORIZED', REFUSALS.recoverMfa);
  }
  try {
    // Whoever holds a token of this account (the one who suspended its authenticator, say) is
    // signed out before the new authenticator exists, or they could replace it again. Cognito revokes
    // by time, so the sign-in below waits that window out first.
    await deps.cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: deps.config.userPoolId, Username: userId }),
    );
    await waitOutRevocation(deps);
    if (!suspended) {
      await deps.cognito.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: deps.config.userPoolId,
          Username: userId,
          SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
        }),
      );
    }
    const again = await signInWithPassword(deps, input.email, input.password);
    const tokens = unproven(again);
    if (!tokens) throw new Error(`TOTP still required after switching it off: ${again.ChallengeName}`);
    const replaces = (await currentRecoveryCodes(deps, userId))?.enrolmentId;
    return await awsCall(context, () => startEnrolment(deps, tokens, input.email, userId, replaces));
  } catch (error) {
    const released = await releaseRecoveryCode(deps, userId, input.recoveryCode).catch(() => false);
    logger.warn('recovery failed after the code was taken', { released, cause: (error as Error).name });
    throw error;
  }
}
