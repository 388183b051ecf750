/**
 * Contract of the local Cognito for tokens: RS256 signatures with the key at the JWKS URL, the claims
 * and lifetimes Cognito gives them, REFRESH_TOKEN_AUTH, the tokens GetUser refuses, and how tokens
 * end: GlobalSignOut, AdminUserGlobalSignOut, RevokeToken, DeleteUser and AdminDeleteUser. Developer
 * guide "Understanding user pool JSON web tokens (JWTs)", "Revoking tokens". Refresh-token rotation:
 * rotation.test.ts; the timing of global sign-outs: revocation.test.ts.
 */
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminUserGlobalSignOutCommand,
  DeleteUserCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnly } from '../contract/target';
import {
  completeMfaSetup,
  confirmPassword,
  createUser,
  enrolledUser,
  expectCognitoError,
  getUser,
  passwordAuth,
  refreshAuth,
  removeDir,
  signIn,
  skipAheadLocally,
  startHarness,
  STRONG_PASSWORD,
  uniqueEmail,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const PAST_ACCESS_TOKEN = "moves the clock past the access token's 60 minutes";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

describe('tokens', () => {
  it('signs RS256 tokens with the key at the JWKS URL, with the claims and lifetimes Cognito gives them', async () => {
    // Developer guide "Understanding user pool JSON web tokens (JWTs)"; API reference: AuthenticationResultType.
    const email = uniqueEmail('claims');
    const session = await confirmPassword(
      h,
      email,
      await createUser(h, email, { phone_number: '+441234567890' }),
    );
    await h.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: h.cognito.userPoolId,
        Username: email.toUpperCase(),
        GroupName: h.settings.adminGroup,
      }),
    );
    const { tokens } = await completeMfaSetup(h, email, session);
    expect(tokens.TokenType).toBe('Bearer');
    expect(tokens.ExpiresIn).toBe(h.settings.tokens.accessTokenValidityMinutes * 60);

    const jwks = createLocalJWKSet(await (await fetch(h.cognito.jwksUrl)).json());
    const options = { issuer: h.cognito.issuer, algorithms: ['RS256'], currentDate: new Date(h.clock.ms) };
    const access = (await jwtVerify(tokens.AccessToken, jwks, options)).payload;
    const id = (await jwtVerify(tokens.IdToken, jwks, { ...options, audience: h.cognito.userPoolClientId }))
      .payload;
    expect(Object.keys(access).sort()).toEqual(
      [
        'sub',
        'cognito:groups',
        'iss',
        'client_id',
        'origin_jti',
        'event_id',
        'token_use',
        'scope',
        'auth_time',
        'exp',
        'iat',
        'jti',
        'username',
      ].sort(),
    );
    expect(access).toMatchObject({
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      client_id: h.cognito.userPoolClientId,
      'cognito:groups': [h.settings.adminGroup],
    });
    expect(access.exp! - access.iat!).toBe(h.settings.tokens.accessTokenValidityMinutes * 60);
    expect(id).toMatchObject({
      token_use: 'id',
      email,
      email_verified: true,
      name: 'Test User',
      phone_number: '+441234567890',
      'cognito:username': access.username,
      'cognito:groups': [h.settings.adminGroup],
      origin_jti: access.origin_jti,
      event_id: access.event_id,
      sub: access.sub,
    });
    expect(id.exp! - id.iat!).toBe(h.settings.tokens.idTokenValidityMinutes * 60);
    const groups = await h.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email.toUpperCase() }),
    );
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual([h.settings.adminGroup]);
  });

  it('refreshes tokens after an MFA sign-in, without a new refresh token', async () => {
    // API reference: InitiateAuth (REFRESH_TOKEN_AUTH); developer guide "Refresh tokens" (rotation off).
    const { email, secret } = await enrolledUser(h, 'refresh');
    const tokens = await signIn(h, email, secret);
    skipAheadLocally(h, 10 * 60_000);
    const refreshed = await refreshAuth(h, tokens.RefreshToken);
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(refreshed.AuthenticationResult?.IdToken).toBeTruthy();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect((await getUser(h, refreshed.AuthenticationResult?.AccessToken as string)).Username).toBeTruthy();
    await expectCognitoError(refreshAuth(h, 'not-a-refresh-token'), 'NotAuthorizedException');
  });

  localOnly(PAST_ACCESS_TOKEN)(
    'refuses access tokens it did not sign, ID tokens, and expired access tokens',
    async () => {
      // API reference: GetUser (NotAuthorizedException); developer guide "Verifying a JSON web token".
      const { tokens } = await enrolledUser(h, 'verify');
      const claims = JSON.parse(
        Buffer.from(tokens.AccessToken.split('.')[1] as string, 'base64url').toString(),
      );
      const stranger = await generateKeyPair('RS256');
      const { kid } = JSON.parse(
        Buffer.from(tokens.AccessToken.split('.')[0] as string, 'base64url').toString(),
      );
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid })
        .sign(stranger.privateKey);
      await expectCognitoError(getUser(h, forged), 'NotAuthorizedException', 'Invalid Access Token');
      // Calls that fall through to cognito-local check the token here too.
      await expectCognitoError(
        h.client.send(
          new UpdateUserAttributesCommand({
            AccessToken: forged,
            UserAttributes: [{ Name: 'name', Value: 'Mallory' }],
          }),
        ),
        'NotAuthorizedException',
        'Invalid Access Token',
      );
      await expectCognitoError(getUser(h, tokens.IdToken), 'NotAuthorizedException', 'Invalid Access Token');
      expect((await getUser(h, tokens.AccessToken)).Username).toBe(claims.username);
      h.clock.advance(h.settings.tokens.accessTokenValidityMinutes * 60_000 + 1_000);
      await expectCognitoError(
        getUser(h, tokens.AccessToken),
        'NotAuthorizedException',
        'Access Token has expired',
      );
    },
  );

  it('revokes every refresh token and earlier access token of the user on GlobalSignOut', async () => {
    // API reference: GlobalSignOut; developer guide "Revoking tokens".
    const { email, secret, tokens: first } = await enrolledUser(h, 'global');
    const second = await signIn(h, email, secret);
    await h.client.send(new GlobalSignOutCommand({ AccessToken: second.AccessToken }));
    for (const tokens of [first, second]) {
      await expectCognitoError(
        getUser(h, tokens.AccessToken),
        'NotAuthorizedException',
        'Access Token has been revoked',
      );
      await expectCognitoError(refreshAuth(h, tokens.RefreshToken), 'NotAuthorizedException');
    }
    const third = await signIn(h, email, secret);
    expect((await getUser(h, third.AccessToken)).Username).toBeTruthy();
  });

  it("revokes the user's tokens on AdminUserGlobalSignOut", async () => {
    // API reference: AdminUserGlobalSignOut.
    const { email, tokens } = await enrolledUser(h, 'admin-global');
    await h.client.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
    );
    await expectCognitoError(
      getUser(h, tokens.AccessToken),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
    await expectCognitoError(refreshAuth(h, tokens.RefreshToken), 'NotAuthorizedException');
  });

  it('revokes one refresh token and the access tokens issued from it with RevokeToken', async () => {
    // API reference: RevokeToken ("Revokes all of the access tokens generated by ... the specified refresh token").
    const { email, secret, tokens: first } = await enrolledUser(h, 'revoke');
    const second = await signIn(h, email, secret);
    const fromFirst = (await refreshAuth(h, first.RefreshToken)).AuthenticationResult?.AccessToken as string;
    await h.client.send(
      new RevokeTokenCommand({ ClientId: h.cognito.userPoolClientId, Token: first.RefreshToken }),
    );
    await expectCognitoError(refreshAuth(h, first.RefreshToken), 'NotAuthorizedException');
    await expectCognitoError(
      getUser(h, first.AccessToken),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
    await expectCognitoError(
      getUser(h, fromFirst),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
    expect((await getUser(h, second.AccessToken)).Username).toBeTruthy();
    expect((await refreshAuth(h, second.RefreshToken)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('answers RevokeToken for a token that is no live refresh token with success, and for a JWT with UnsupportedTokenTypeException (local choice: RFC 7009 for the first)', async () => {
    // API reference RevokeToken (UnsupportedTokenTypeException); RFC 7009 section 2.2 (an invalid
    // token is not an error for a revocation endpoint). What Cognito answers is not documented.
    const { tokens } = await enrolledUser(h, 'revoke-odd');
    await h.client.send(
      new RevokeTokenCommand({ ClientId: h.cognito.userPoolClientId, Token: 'not-a-refresh-token' }),
    );
    await expectCognitoError(
      h.client.send(
        new RevokeTokenCommand({ ClientId: h.cognito.userPoolClientId, Token: tokens.AccessToken }),
      ),
      'UnsupportedTokenTypeException',
    );
    expect((await getUser(h, tokens.AccessToken)).Username).toBeTruthy();
  });

  it('deletes the account and ends its tokens with DeleteUser and AdminDeleteUser', async () => {
    // API reference: DeleteUser, AdminDeleteUser.
    const self = await enrolledUser(h, 'delete-self');
    await h.client.send(new DeleteUserCommand({ AccessToken: self.tokens.AccessToken }));
    await expectCognitoError(getUser(h, self.tokens.AccessToken), 'NotAuthorizedException');
    await expectCognitoError(refreshAuth(h, self.tokens.RefreshToken), 'NotAuthorizedException');
    await expectCognitoError(passwordAuth(h, self.email, STRONG_PASSWORD), 'NotAuthorizedException');
    const byAdmin = await enrolledUser(h, 'delete-admin');
    await h.client.send(
      new AdminDeleteUserCommand({ UserPoolId: h.cognito.userPoolId, Username: byAdmin.email }),
    );
    await expectCognitoError(getUser(h, byAdmin.tokens.AccessToken), 'NotAuthorizedException');
    await expectCognitoError(
      h.client.send(
        new AdminDeleteUserCommand({ UserPoolId: h.cognito.userPoolId, Username: byAdmin.email }),
      ),
      'UserNotFoundException',
    );
  });
});
