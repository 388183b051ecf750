/**
 * Enrolment: confirmUser (temporary password -> own password, then an authenticator), confirmMfa (the
 * first code proves it, tokens and recovery codes follow) and recoverMfa (a recovery code replaces a
 * lost authenticator). Every refusal that could reveal whether an account exists has one message.
 *
 * The pool's MFA is OPTIONAL and TOTP is enforced by the API (README, "Recovering a lost
 * authenticator"): Cognito answers a password with a SOFTWARE_TOKEN_MFA challenge for an account whose
 * authenticator is enabled, and with tokens for one that has none. Those tokens never go to the client
 * as they are: they start an enrolment, sealed in its session, and are handed out by confirmMfa once
 * Cognito has verified the user's first code. So every sign-in that yields tokens to a client has
 * passed TOTP.
 */
import {
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { MESSAGES } from '../../schema/messages';
import type {
  ConfirmMfaInput,
  ConfirmMfaPayload,
  ConfirmUserInput,
  MfaSetup,
  RecoverMfaInput,
  VerifyEnrolmentEmailInput,
} from '../../schema/generated/types';
import type { Deps } from '../runtime/clients';
import { awsCall, errorName, fail } from '../runtime/errors';
import { logger } from '../runtime/logger';
import { waitOutRevocation } from '../runtime/wait';
import { deleteQrCode, startEnrolment } from './authenticator';
import {
  answerNewPassword,
  discard,
  enableAuthenticator,
  refreshTokens,
  signInWithPassword,
  unproven,
  userIdOf,
  verifyAuthenticator,
} from './cognito';
import { openEnrolment } from './enrolment-session';
import { withinGuessBound } from './guess-bounds';
import { describePolicy, meetsPolicy } from './password-policy';
import {
  consumeRecoveryCode,
  currentRecoveryCodes,
  hasCompletedEnrolment,
  issueRecoveryCodes,
  releaseRecoveryCode,
  withdrawRecoveryCodes,
} from './recovery-codes';
import { subOf, toAuthTokens } from './tokens';

export async function confirmUser(deps: Deps, input: ConfirmUserInput): Promise<MfaSetup> {
  const policy = deps.config.passwordPolicy;
  const context = { notAuthorized: MESSAGES.confirmUserRefused, policy };
  const signIn = await withinGuessBound(deps, 'password', input.email, () =>
    awsCall(context, () => signInWithPassword(deps, input.email, input.temporaryPassword)),
  );
  // Only an invited, unconfirmed account may be confirmed; anything else gets the one refusal.
  if (signIn.ChallengeName !== 'NEW_PASSWORD_REQUIRED') {
    const tokens = unproven(signIn);
    if (tokens) await discard(deps, tokens);
    throw fail('NOT_AUTHORIZED', MESSAGES.confirmUserRefused);
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
 * Completes an enrolment: Cognito verifies the first code for the sealed sign-in, the QR object is
 * deleted, recovery codes are issued, TOTP becomes the account's second factor, and the user gets
 * tokens. A wrong code leaves the session usable for the next code; a completed one cannot be reused.
 *
 * Writing the recovery codes is the step that makes the enrolment happen (the API's record that the
 * account enrolled, recovery-codes.ts). Before it, a failure of Cognito or S3 leaves the account as it
 * was before this enrolment began: never enrolled (the next login starts one again), or, after a
 * recovery, with its authenticator suspended (another recovery code starts one again). After it,
 * switching TOTP on is the only step left; if that fails the codes are withdrawn, so no account has
 * recovery codes without TOTP, or TOTP without recovery codes its owner has seen.
 */
export async function confirmMfa(deps: Deps, input: ConfirmMfaInput): Promise<ConfirmMfaPayload> {
  const context = { notAuthorized: MESSAGES.enrolmentRefused };
  const enrolment = await openEnrolment(deps, input.session, input.email);
  // Spent once any enrolment of this account completed after this one started (this one included).
  const current = await currentRecoveryCodes(deps, enrolment.sub);
  if (current?.enrolmentId !== enrolment.replaces) throw fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
  await withinGuessBound(deps, 'totp', input.email, () =>
    awsCall(context, () => verifyAuthenticator(deps, enrolment.accessToken, input.otp)),
  );
  // The picture has done its job once the code is proven, whatever happens next.
  await deleteQrCode(deps, enrolment.sub, enrolment.enrolmentId);
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
  try {
    await awsCall(context, () => enableAuthenticator(deps, enrolment.accessToken));
  } catch (error) {
    const withdrawn = await withdrawRecoveryCodes(deps, enrolment.sub, enrolment.enrolmentId, current).catch(
      () => false,
    );
    logger.warn('enrolment failed after its recovery codes were written', {
      withdrawn,
      cause: errorName(error),
    });
    throw error;
  }
  return { mfaStatus: 'CONFIRMED', tokens, recoveryCodes };
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
  // The password and the code are guessed together: one bound, the recovery code's.
  return withinGuessBound(deps, 'recoveryCode', input.email, () => recover(deps, input));
}

async function recover(deps: Deps, input: RecoverMfaInput): Promise<MfaSetup> {
  const context = { notAuthorized: MESSAGES.recoverMfaRefused };
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
    throw fail('NOT_AUTHORIZED', MESSAGES.recoverMfaRefused);
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

/**
 * The second half of a login for an account that never finished enrolment: the code Cognito e-mailed
 * proves the mailbox (VerifyUserAttribute), then enrolment starts with the sealed sign-in. Someone who
 * knows only the password never gets this far.
 */
export async function verifyEnrolmentEmail(deps: Deps, input: VerifyEnrolmentEmailInput): Promise<MfaSetup> {
  const waiting = await openEnrolment(deps, input.session, input.email, 'email-proof');
  await withinGuessBound(deps, 'emailCode', input.email, () =>
    awsCall({ notAuthorized: MESSAGES.enrolmentRefused }, async () => {
      await deps.cognito.send(
        new VerifyUserAttributeCommand({
          AccessToken: waiting.accessToken,
          AttributeName: 'email',
          Code: input.code,
        }),
      );
    }),
  );
  // Enrolment may have completed meanwhile (another session of the owner's): then this one is spent.
  if (await hasCompletedEnrolment(deps, waiting.sub)) throw fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
  const tokens = { accessToken: waiting.accessToken, refreshToken: waiting.refreshToken };
  return awsCall({ notAuthorized: MESSAGES.enrolmentRefused }, () =>
    startEnrolment(deps, tokens, input.email, waiting.sub),
  );
}
