/**
 * Token issuance: a sign-in's refresh, access and ID tokens, new access and ID tokens for a refresh
 * token (REFRESH_TOKEN_AUTH), and GetTokensFromRefreshToken with or without rotation. The tokens are
 * signed with the pool's key (tokens.ts). Reference pages: InitiateAuth, AdminInitiateAuth,
 * GetTokensFromRefreshToken (Amazon Cognito user pools API reference).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  GetTokensFromRefreshTokenRequest,
  GetTokensFromRefreshTokenResponse,
  InitiateAuthResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { User } from 'cognito-local/lib/services/userPoolService';
import {
  appClient,
  attribute,
  findUser,
  lifetimes,
  pool,
  rotationGraceMs,
  type Core,
  type LocalAppClient,
} from './core';
import { cognitoError, MESSAGES, missing } from './errors';
import { assertClientSecret, assertSecretHash, assertSecretHashPresent } from './secrets';
import { sha256, type SignIn } from './state';

export type AuthResult = InitiateAuthResponse;

export type AuthParameters = Record<string, string | undefined>;

/** A new authentication event: a refresh token, and access and ID tokens that carry its origin_jti. */
export async function signIn(core: Core, client: LocalAppClient, user: User): Promise<AuthResult> {
  const originJti = randomUUID();
  const authTime = Math.floor(core.now() / 1000);
  const refreshToken = newRefreshToken();
  const { accessSeconds, idSeconds, refreshSeconds } = lifetimes(client);
  core.state.addSignIn(originJti, {
    username: user.Username,
    clientId: client.ClientId,
    refreshTokenHash: sha256(refreshToken),
    authTime,
    refreshExpiresAt: core.now() + refreshSeconds * 1000,
    keepUntil: core.now() + (refreshSeconds + Math.max(accessSeconds, idSeconds)) * 1000,
    // Within a global sign-out's revocation window the tokens are issued, and already revoked.
    revoked: core.now() < (core.state.user(user.Username).revokeSignInsUntilMs ?? 0),
  });
  const tokens = await issueTokens(core, client, user, originJti, authTime);
  return { ChallengeParameters: {}, AuthenticationResult: { ...tokens, RefreshToken: refreshToken } };
}

/** REFRESH_TOKEN_AUTH, the refresh flow of InitiateAuth and AdminInitiateAuth. */
export async function refresh(
  core: Core,
  client: LocalAppClient,
  params: AuthParameters,
): Promise<AuthResult> {
  const refreshToken = params.REFRESH_TOKEN;
  if (!refreshToken) missing('REFRESH_TOKEN');
  assertSecretHashPresent(client, params.SECRET_HASH);
  const found = core.state.findByRefreshToken(refreshToken);
  // A token that rotation replaced is spent for REFRESH_TOKEN_AUTH.
  if (!found || found.signIn.clientId !== client.ClientId || found.token.supersededAtMs !== undefined) {
    throw cognitoError('NotAuthorizedException', MESSAGES.invalidRefreshToken);
  }
  // Over the internal user name (the sub here), whatever alias signed in (aws/aws-sdk-net-extensions-
  // cognito#122, aws-amplify/amplify-android#3111).
  assertSecretHash(client, found.signIn.username, params.SECRET_HASH);
  const user = await refreshingUser(core, found.signIn);
  // Without rotation: new access and ID tokens from the same sign-in, no new refresh token.
  const tokens = await issueTokens(core, client, user, found.originJti, found.signIn.authTime);
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}

/** What every refresh checks of the sign-in behind the token: revocation, expiry, the user. */
async function refreshingUser(core: Core, signIn: SignIn): Promise<User> {
  if (core.state.isRevoked(signIn))
    throw cognitoError('NotAuthorizedException', MESSAGES.revokedRefreshToken);
  if (core.now() > signIn.refreshExpiresAt) {
    throw cognitoError('NotAuthorizedException', MESSAGES.expiredRefreshToken);
  }
  const user = await findUser(core, signIn.username);
  if (!user) throw cognitoError('NotAuthorizedException', MESSAGES.invalidRefreshToken);
  if (!user.Enabled) throw cognitoError('NotAuthorizedException', MESSAGES.userDisabled);
  return user;
}

/**
 * GetTokensFromRefreshToken (API reference; RefreshTokenRotationType; developer guide "Refresh
 * tokens"). Without rotation: new ID and access tokens only. With rotation: a new refresh token too,
 * for the same sign-in and with its original expiry; the submitted one keeps working for
 * RetryGracePeriodSeconds (0: not at all) and then answers RefreshTokenReuseException. A reuse does
 * not revoke the tokens issued after it (local choice: not documented either way).
 */
export async function getTokensFromRefreshToken(
  core: Core,
  req: GetTokensFromRefreshTokenRequest,
): Promise<GetTokensFromRefreshTokenResponse> {
  const client = await appClient(core, req.ClientId);
  if (!req.RefreshToken) missing('RefreshToken');
  assertClientSecret(client, req.ClientSecret);
  const found = core.state.findByRefreshToken(req.RefreshToken);
  if (!found || found.signIn.clientId !== client.ClientId) {
    // The wording aws/aws-sdk-js-v3#7162 reports for this operation.
    throw cognitoError('NotAuthorizedException', `${MESSAGES.invalidRefreshToken}.`);
  }
  const user = await refreshingUser(core, found.signIn);
  const graceMs = rotationGraceMs(client);
  const supersededAt = found.token.supersededAtMs;
  if (supersededAt !== undefined && core.now() >= supersededAt + (graceMs ?? 0)) {
    throw cognitoError('RefreshTokenReuseException', MESSAGES.refreshTokenReused);
  }
  const tokens = await issueTokens(core, client, user, found.originJti, found.signIn.authTime);
  if (graceMs === undefined) return { AuthenticationResult: tokens };
  const rotated = newRefreshToken();
  found.token.supersededAtMs ??= core.now();
  core.state.addRotatedToken(found.originJti, rotated);
  return { AuthenticationResult: { ...tokens, RefreshToken: rotated } };
}

/** Opaque, like Cognito's (encrypted) refresh tokens; only its hash is stored. */
const newRefreshToken = () => randomBytes(64).toString('base64url');

/** The claims real Cognito puts in access and ID tokens (see "Understanding user pool JSON web tokens"). */
async function issueTokens(
  core: Core,
  client: LocalAppClient,
  user: User,
  originJti: string,
  authTime: number,
) {
  const groups = await (await pool(core)).listUserGroupMembership(core.ctx, user);
  const { accessSeconds, idSeconds } = lifetimes(client);
  const iat = Math.floor(core.now() / 1000);
  const eventId = randomUUID();
  const sub = attribute(user, 'sub');
  const groupClaim = groups.length > 0 ? { 'cognito:groups': [...groups] } : {};
  const accessToken = await core.signer.sign({
    sub,
    ...groupClaim,
    iss: core.issuer,
    client_id: client.ClientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: authTime,
    exp: iat + accessSeconds,
    iat,
    jti: randomUUID(),
    username: user.Username,
  });
  // The ID token carries the user's attributes; *_verified attributes are booleans there.
  const attributes = Object.fromEntries(
    user.Attributes.filter((a) => a.Name !== 'sub' && a.Value !== undefined).map((a) => [
      a.Name,
      a.Name.endsWith('_verified') ? a.Value === 'true' : a.Value,
    ]),
  );
  const idToken = await core.signer.sign({
    sub,
    ...groupClaim,
    ...attributes,
    iss: core.issuer,
    'cognito:username': user.Username,
    origin_jti: originJti,
    aud: client.ClientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: authTime,
    exp: iat + idSeconds,
    iat,
    jti: randomUUID(),
  });
  return { AccessToken: accessToken, ExpiresIn: accessSeconds, IdToken: idToken, TokenType: 'Bearer' };
}
