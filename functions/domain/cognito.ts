/**
 * The Cognito calls of the sign-in and enrolment flows. All are the app client's own calls, authorised
 * by its secret (SECRET_HASH) or by a token or session, so the functions that make them need no IAM
 * permission on the pool.
 */
import {
  type AuthenticationResultType,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { fail } from '../runtime/errors';
import { logger } from '../runtime/logger';
import { secretHash } from '../runtime/client-secret';
import type { Deps } from '../runtime/clients';
import { MESSAGES } from '../../schema/messages';

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
 * Proves the authenticator: Cognito checks the user's first code against the secret it generated for
 * this access token's user (VerifySoftwareToken), and TOTP becomes the user's enabled, preferred second
 * factor, so every later sign-in is a SOFTWARE_TOKEN_MFA challenge.
 */
/**
 * Cognito checks the first code of a new authenticator (VerifySoftwareToken). That marks the secret
 * verified and changes nothing else: TOTP is switched on separately, by enableAuthenticator, once
 * the API has recorded the enrolment.
 */
export async function verifyAuthenticator(deps: Deps, accessToken: string, code: string): Promise<void> {
  const verified = await deps.cognito.send(
    new VerifySoftwareTokenCommand({
      AccessToken: accessToken,
      UserCode: code,
      FriendlyDeviceName: 'Authenticator',
    }),
  );
  if (verified.Status !== 'SUCCESS') throw fail('CODE_MISMATCH', MESSAGES.codeMismatch);
}

/** TOTP becomes the account's second factor: from now on a password alone is answered with a challenge. */
export async function enableAuthenticator(deps: Deps, accessToken: string): Promise<void> {
  await deps.cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
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

/**
 * New tokens from a refresh token. GetTokensFromRefreshToken takes the client secret itself (no
 * SECRET_HASH, which would need a user name the caller does not send) and works with rotation on or
 * off; with rotation on it also returns the next refresh token.
 */
export async function refreshTokens(deps: Deps, refreshToken: string): Promise<AuthenticationResultType> {
  const secret = await deps.clientSecret.value();
  const answered = await deps.cognito.send(
    new GetTokensFromRefreshTokenCommand({
      RefreshToken: refreshToken,
      ClientId: deps.config.userPoolClientId,
      ...(secret ? { ClientSecret: secret } : {}),
    }),
  );
  if (!answered.AuthenticationResult) throw new Error('refresh returned no tokens');
  return answered.AuthenticationResult;
}

/** Ends one sign-in the API will not hand out (its refresh token and the access tokens issued from it). */
export async function revokeSignIn(deps: Deps, refreshToken: string): Promise<void> {
  const secret = await deps.clientSecret.value();
  await deps.cognito.send(
    new RevokeTokenCommand({
      Token: refreshToken,
      ClientId: deps.config.userPoolClientId,
      ...(secret ? { ClientSecret: secret } : {}),
    }),
  );
}

/** Tokens of a sign-in that passed no second factor: they must not leave the API unsealed. */
export interface UnprovenSignIn {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** The tokens of a sign-in that Cognito completed without a second factor (no authenticator enabled). */
export function unproven(
  answer: Pick<InitiateAuthCommandOutput, 'AuthenticationResult'>,
): UnprovenSignIn | undefined {
  const result: AuthenticationResultType | undefined = answer.AuthenticationResult;
  return result?.AccessToken && result.RefreshToken
    ? { accessToken: result.AccessToken, refreshToken: result.RefreshToken }
    : undefined;
}

/** A sign-in the API will not use is ended at once; failing to end it must not change the answer. */
export async function discard(deps: Deps, signIn: UnprovenSignIn): Promise<void> {
  await revokeSignIn(deps, signIn.refreshToken).catch((error: unknown) =>
    logger.warn('could not revoke an unused sign-in', { cause: (error as Error).name }),
  );
}
