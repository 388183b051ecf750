/**
 * The Cognito calls of the sign-in and enrolment flows. All are the public, token- or session-bound
 * calls of the app client, so the functions that make them need no IAM permission on the pool.
 */
import {
  type AuthenticationResultType,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from './client-secret';
import type { Deps } from './clients';

type Challenge = Pick<InitiateAuthCommandOutput, 'ChallengeName' | 'Session' | 'ChallengeParameters'>;

/**
 * `{ SECRET_HASH }` for a confidential client, computed over the user name the request names; nothing
 * for a public client.
 */
export async function secretHashFor(deps: Deps, username: string): Promise<{ SECRET_HASH?: string }> {
  const secret = await deps.clientSecret.value();
  return secret ? { SECRET_HASH: secretHash(secret, username, deps.config.userPoolClientId) } : {};
}

export async function signInWithPassword(
  deps: Deps,
  email: string,
  password: string,
): Promise<InitiateAuthCommandOutput> {
  return deps.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: deps.config.userPoolClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password, ...(await secretHashFor(deps, email)) },
    }),
  );
}

/** The pool's user name (its `sub`) as Cognito names it in a challenge. */
export const userIdOf = (challenge: Challenge): string | undefined =>
  challenge.ChallengeParameters?.USER_ID_FOR_SRP;

export async function answerNewPassword(
  deps: Deps,
  challenge: Challenge,
  email: string,
  newPassword: string,
): Promise<RespondToAuthChallengeCommandOutput> {
  const username = userIdOf(challenge) ?? email;
  return deps.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: deps.config.userPoolClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: {
        USERNAME: username,
        NEW_PASSWORD: newPassword,
        ...(await secretHashFor(deps, username)),
      },
    }),
  );
}

/**
 * Completes MFA_SETUP: Cognito checks the user's first code against the secret it generated, then
 * answers the challenge with tokens. TOTP becomes the preferred (and only) second factor.
 */
export async function completeEnrolment(
  deps: Deps,
  email: string,
  session: string,
  code: string,
): Promise<AuthenticationResultType> {
  const verified = await deps.cognito.send(
    new VerifySoftwareTokenCommand({ Session: session, UserCode: code, FriendlyDeviceName: 'Authenticator' }),
  );
  if (verified.Status !== 'SUCCESS' || !verified.Session) {
    throw Object.assign(new Error('software token not verified'), {
      name: 'EnableSoftwareTokenMFAException',
    });
  }
  const answered = await deps.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: deps.config.userPoolClientId,
      ChallengeName: 'MFA_SETUP',
      Session: verified.Session,
      ChallengeResponses: { USERNAME: email, ...(await secretHashFor(deps, email)) },
    }),
  );
  const result = answered.AuthenticationResult;
  if (!result?.AccessToken)
    throw new Error(`unexpected challenge after MFA_SETUP: ${answered.ChallengeName}`);
  await deps.cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: result.AccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  return result;
}

export async function answerTotp(
  deps: Deps,
  email: string,
  session: string,
  code: string,
): Promise<AuthenticationResultType> {
  const answered = await deps.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: deps.config.userPoolClientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: session,
      ChallengeResponses: {
        USERNAME: email,
        SOFTWARE_TOKEN_MFA_CODE: code,
        ...(await secretHashFor(deps, email)),
      },
    }),
  );
  if (!answered.AuthenticationResult)
    throw new Error(`unexpected challenge after TOTP: ${answered.ChallengeName}`);
  return answered.AuthenticationResult;
}

export async function refreshTokens(deps: Deps, refreshToken: string): Promise<AuthenticationResultType> {
  const answered = await deps.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: deps.config.userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
  if (!answered.AuthenticationResult) throw new Error('refresh returned no tokens');
  return answered.AuthenticationResult;
}
