/**
 * Confirming an account, enrolling an authenticator, signing in with password then TOTP, refreshing,
 * and recovering from a lost authenticator. Every refusal that could reveal whether an account
 * exists uses one message per operation.
 */
import { AdminSetUserMFAPreferenceCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from './clients';
import {
  answerNewPassword,
  answerTotp,
  completeEnrolment,
  refreshTokens,
  signInWithPassword,
  userIdOf,
} from './cognito';
import { deleteQrCode, startEnrolment, type MfaSetup } from './enrolment';
import { fail, mapAwsError, type FailureContext } from './errors';
import { describePolicy, meetsPolicy } from './password-policy';
import { consumeRecoveryCode, issueRecoveryCodes } from './recovery-codes';
import { subOf, toAuthTokens, type AuthTokens } from './tokens';

export const REFUSALS = {
  confirmUser: 'Incorrect e-mail or temporary password.',
  login: 'Incorrect e-mail or password.',
  enrolment: 'Enrolment could not be completed. Start again.',
  refresh: 'The refresh token is not valid. Sign in again.',
  recoverMfa: 'Incorrect e-mail, password or recovery code.',
} as const;

/** Runs a step, turning Cognito's and S3's exceptions into the catalogue (unknown ones pass through). */
async function step<T>(context: FailureContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw mapAwsError(error, context) ?? error;
  }
}

export async function confirmUser(
  deps: Deps,
  input: { email: string; temporaryPassword: string; newPassword: string },
): Promise<MfaSetup> {
  const policy = deps.config.passwordPolicy;
  const context = { notAuthorized: REFUSALS.confirmUser, policy };
  const signIn = await step(context, () => signInWithPassword(deps, input.email, input.temporaryPassword));
  // Only an invited, unconfirmed account may be confirmed; anything else gets the one refusal.
  if (signIn.ChallengeName !== 'NEW_PASSWORD_REQUIRED') throw fail('NOT_AUTHORIZED', REFUSALS.confirmUser);
  if (!meetsPolicy(input.newPassword, policy)) {
    throw fail('INVALID_PASSWORD', describePolicy(policy), { policy });
  }
  const answered = await step(context, () => answerNewPassword(deps, signIn, input.email, input.newPassword));
  const userId = userIdOf(answered) ?? userIdOf(signIn);
  if (answered.ChallengeName !== 'MFA_SETUP' || !answered.Session || !userId) {
    throw new Error(`unexpected challenge after NEW_PASSWORD_REQUIRED: ${answered.ChallengeName}`);
  }
  return step(context, () => startEnrolment(deps, answered.Session!, input.email, userId));
}

export async function confirmMfa(
  deps: Deps,
  input: { email: string; session: string; otp: string },
): Promise<{ mfaStatus: 'CONFIRMED'; tokens: AuthTokens; recoveryCodes: string[] }> {
  const context = { notAuthorized: REFUSALS.enrolment };
  const result = await step(context, () => completeEnrolment(deps, input.email, input.session, input.otp));
  const tokens = toAuthTokens(result);
  const userId = subOf(tokens.accessToken);
  const recoveryCodes = await issueRecoveryCodes(deps, userId);
  await deleteQrCode(deps, userId);
  return { mfaStatus: 'CONFIRMED', tokens, recoveryCodes };
}

export async function login(
  deps: Deps,
  input: { email: string; password: string },
): Promise<{ challenge: 'SOFTWARE_TOKEN_MFA' | 'MFA_SETUP'; session: string; mfaSetup: MfaSetup | null }> {
  const context = { notAuthorized: REFUSALS.login };
  const signIn = await step(context, () => signInWithPassword(deps, input.email, input.password));
  switch (signIn.ChallengeName) {
    case 'SOFTWARE_TOKEN_MFA':
      return { challenge: 'SOFTWARE_TOKEN_MFA', session: signIn.Session!, mfaSetup: null };
    case 'MFA_SETUP': {
      // Confirmed but never finished enrolment: enrolment starts again with a new secret.
      const userId = userIdOf(signIn);
      if (!userId || !signIn.Session) throw new Error('MFA_SETUP without user id or session');
      const mfaSetup = await step(context, () => startEnrolment(deps, signIn.Session!, input.email, userId));
      return { challenge: 'MFA_SETUP', session: mfaSetup.session, mfaSetup };
    }
    case 'NEW_PASSWORD_REQUIRED':
      // The caller knows the temporary password, so saying what to do next reveals nothing.
      throw fail(
        'NOT_AUTHORIZED',
        'This account is not confirmed yet: use confirmUser with the temporary password.',
      );
    default:
      // MFA is mandatory: a sign-in that would hand out tokens without a second factor is refused.
      throw new Error(`unexpected sign-in answer: ${signIn.ChallengeName ?? 'tokens without MFA'}`);
  }
}

export async function verifyMfa(
  deps: Deps,
  input: { email: string; session: string; otp: string },
): Promise<AuthTokens> {
  const result = await step({ notAuthorized: REFUSALS.login }, () =>
    answerTotp(deps, input.email, input.session, input.otp),
  );
  return toAuthTokens(result);
}

export async function refresh(deps: Deps, input: { refreshToken: string }): Promise<AuthTokens> {
  const result = await step({ notAuthorized: REFUSALS.refresh }, () =>
    refreshTokens(deps, input.refreshToken),
  );
  return toAuthTokens(result, input.refreshToken);
}

/**
 * Lost authenticator: the password proves the person, an unused recovery code proves they enrolled.
 * The code is consumed before anything changes, then TOTP is switched off for the user so Cognito
 * starts a new enrolment (MFA_SETUP) with a new secret; the old secret stops working once the new
 * one is verified.
 */
export async function recoverMfa(
  deps: Deps,
  input: { email: string; password: string; recoveryCode: string },
): Promise<MfaSetup> {
  const context = { notAuthorized: REFUSALS.recoverMfa };
  const signIn = await step(context, () => signInWithPassword(deps, input.email, input.password));
  const userId = userIdOf(signIn);
  if (signIn.ChallengeName !== 'SOFTWARE_TOKEN_MFA' || !userId)
    throw fail('NOT_AUTHORIZED', REFUSALS.recoverMfa);
  if (!(await step(context, () => consumeRecoveryCode(deps, userId, input.recoveryCode)))) {
    throw fail('NOT_AUTHORIZED', REFUSALS.recoverMfa);
  }
  await step(context, () =>
    deps.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: deps.config.userPoolId,
        Username: userId,
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    ),
  );
  const again = await step(context, () => signInWithPassword(deps, input.email, input.password));
  if (again.ChallengeName !== 'MFA_SETUP' || !again.Session) {
    throw new Error(`expected MFA_SETUP after recovery, got ${again.ChallengeName}`);
  }
  return step(context, () => startEnrolment(deps, again.Session!, input.email, userId));
}
