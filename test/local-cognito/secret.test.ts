/**
 * Contract of the local Cognito for an app client with a secret (settings.clientSecret): the calls
 * that name a user without a token need a SECRET_HASH, the calls with a ClientSecret field need the
 * secret, and calls authorised by an access token need nothing more. Developer guide "Computing secret
 * hash values"; API reference, one page per operation.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  DeleteUserCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnly } from '../contract/target';
import {
  completeMfaSetup,
  confirmPassword,
  createUser,
  enrolledUser,
  expectCognitoError,
  hashFor,
  lastCode,
  nextTotpStep,
  passwordAuth,
  removeDir,
  respond,
  startHarness,
  STRONG_PASSWORD,
  totpAt,
  uniqueEmail,
  type Harness,
  REQUIRED_MFA_PUBLIC_CLIENT,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const RESTART = 'restarts the stand-in on the same data directory';
const MAILBOX = 'reads the e-mailed reset code from the local mailbox';

const withSecret = { ...REQUIRED_MFA_PUBLIC_CLIENT, clientSecret: true };
let h: Harness;
let refused: string;

beforeAll(async () => {
  h = await startHarness({ settings: withSecret });
  refused = `Unable to verify secret hash for client ${h.cognito.userPoolClientId}`;
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

const initiate = (parameters: Record<string, string>) =>
  h.client.send(
    new InitiateAuthCommand({
      ClientId: h.cognito.userPoolClientId,
      AuthFlow: parameters.REFRESH_TOKEN ? 'REFRESH_TOKEN_AUTH' : 'USER_PASSWORD_AUTH',
      AuthParameters: parameters,
    }),
  );
/** The internal user name (the sub) as Cognito names it in a challenge. */
const userIdOf = (challenge: { ChallengeParameters?: Record<string, string> }) =>
  challenge.ChallengeParameters?.USER_ID_FOR_SRP as string;

describe('client secret', () => {
  localOnly(RESTART)(
    'creates the client with a secret that DescribeUserPoolClient returns and a restart keeps',
    async () => {
      // API reference: CreateUserPoolClient (GenerateSecret), DescribeUserPoolClient (ClientSecret).
      const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-secret-'));
      const first = await startHarness({ dataDir, settings: withSecret });
      const secret = first.cognito.userPoolClientSecret;
      await first.close();
      const second = await startHarness({ dataDir, settings: withSecret });
      try {
        expect(secret).toMatch(/^[a-z0-9]{51}$/);
        expect(second.cognito.userPoolClientSecret).toBe(secret);
        const { UserPoolClient } = await second.client.send(
          new DescribeUserPoolClientCommand({
            UserPoolId: second.cognito.userPoolId,
            ClientId: second.cognito.userPoolClientId,
          }),
        );
        expect(UserPoolClient?.ClientSecret).toBe(secret);
      } finally {
        await second.close();
        await removeDir(dataDir);
      }
    },
  );

  localOnly(RESTART)(
    'drops the secret when the settings turn it off, and then asks for no SECRET_HASH (local choice: same client id, where a deploy would replace the client)',
    async () => {
      // Switching GenerateSecret replaces the app client in a deploy; locally the id is kept so the
      // stack's outputs stay valid, and the client behaves as the public client it now is.
      const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-secret-off-'));
      const first = await startHarness({ dataDir, settings: withSecret });
      const clientId = first.cognito.userPoolClientId;
      await first.close();
      const second = await startHarness({ dataDir });
      try {
        expect(second.cognito.userPoolClientId).toBe(clientId);
        expect(second.cognito.userPoolClientSecret).toBeUndefined();
        const email = uniqueEmail('public-again');
        const started = await passwordAuth(second, email, await createUser(second, email));
        expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
      } finally {
        await second.close();
        await removeDir(dataDir);
      }
    },
  );

  it('refuses USER_PASSWORD_AUTH with no SECRET_HASH or a wrong one, and accepts one over the e-mail sent', async () => {
    // API reference: InitiateAuth (AuthParameters SECRET_HASH); developer guide "Computing secret hash
    // values"; AWS Knowledge Center "cognito-unable-to-verify-secret-hash" (the message).
    const email = uniqueEmail('hash-password');
    const temporary = await createUser(h, email);
    await expectCognitoError(
      initiate({ USERNAME: email, PASSWORD: temporary }),
      'NotAuthorizedException',
      refused,
    );
    await expectCognitoError(
      initiate({ USERNAME: email, PASSWORD: temporary, SECRET_HASH: hashFor(h, 'someone@example.com')! }),
      'NotAuthorizedException',
      refused,
    );
    const started = await initiate({ USERNAME: email, PASSWORD: temporary, SECRET_HASH: hashFor(h, email)! });
    expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    // The internal user name signs in too, with a hash over it.
    const sub = userIdOf(started);
    const bySub = await initiate({ USERNAME: sub, PASSWORD: temporary, SECRET_HASH: hashFor(h, sub)! });
    expect(bySub.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('computes the hash over the user name exactly as sent (local choice: another alias or letter case of the same user is refused)', async () => {
    // Developer guide "Computing secret hash values" names the user name the call sends; whether AWS
    // also accepts a hash over another alias of the same user is not documented, so this is strict.
    const email = uniqueEmail('hash-alias');
    const temporary = await createUser(h, email);
    const started = await initiate({ USERNAME: email, PASSWORD: temporary, SECRET_HASH: hashFor(h, email)! });
    await expectCognitoError(
      initiate({ USERNAME: email, PASSWORD: temporary, SECRET_HASH: hashFor(h, userIdOf(started))! }),
      'NotAuthorizedException',
      refused,
    );
    await expectCognitoError(
      initiate({
        USERNAME: email.toUpperCase(),
        PASSWORD: temporary,
        SECRET_HASH: hashFor(h, email)!,
      }),
      'NotAuthorizedException',
      refused,
    );
  });

  it('asks every RespondToAuthChallenge for a SECRET_HASH over its USERNAME, the sub or the e-mail', async () => {
    // API reference: RespondToAuthChallenge (ChallengeResponses SECRET_HASH); the hash must go with the
    // USERNAME of the same call (aws-amplify/aws-sdk-android#1144).
    const email = uniqueEmail('hash-challenge');
    const first = await passwordAuth(h, email, await createUser(h, email));
    const sub = userIdOf(first);
    const answer = { USERNAME: sub, NEW_PASSWORD: STRONG_PASSWORD };
    await expectCognitoError(
      respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, { ...answer, SECRET_HASH: '' }),
      'NotAuthorizedException',
      refused,
    );
    await expectCognitoError(
      respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, { ...answer, SECRET_HASH: hashFor(h, email)! }),
      'NotAuthorizedException',
      refused,
    );
    // A refused hash leaves the session usable: the answer with the right hash goes on.
    const setup = await respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, answer);
    expect(setup.ChallengeName).toBe('MFA_SETUP');
    const { tokens } = await completeMfaSetup(h, email, setup.Session as string);
    expect(tokens.AccessToken).toBeTruthy();
  });

  it('asks AdminInitiateAuth and AdminRespondToAuthChallenge for a SECRET_HASH too', async () => {
    // API reference: AdminInitiateAuth, AdminRespondToAuthChallenge (SECRET_HASH).
    const email = uniqueEmail('hash-admin');
    const first = await passwordAuth(h, email, await createUser(h, email));
    const sub = userIdOf(first);
    const adminRespond = (responses: Record<string, string>) =>
      h.client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: h.cognito.userPoolId,
          ClientId: h.cognito.userPoolClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: first.Session,
          ChallengeResponses: { USERNAME: sub, NEW_PASSWORD: STRONG_PASSWORD, ...responses },
        }),
      );
    await expectCognitoError(adminRespond({}), 'NotAuthorizedException', refused);
    const setup = await adminRespond({ SECRET_HASH: hashFor(h, sub)! });
    expect(setup.ChallengeName).toBe('MFA_SETUP');
    const { tokens } = await completeMfaSetup(h, email, setup.Session as string);
    const adminRefresh = (parameters: Record<string, string>) =>
      h.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: h.cognito.userPoolId,
          ClientId: h.cognito.userPoolClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken, ...parameters },
        }),
      );
    await expectCognitoError(adminRefresh({}), 'NotAuthorizedException', refused);
    const refreshed = await adminRefresh({ SECRET_HASH: hashFor(h, sub)! });
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('computes the REFRESH_TOKEN_AUTH hash over the internal user name, not the e-mail that signed in', async () => {
    // API reference: InitiateAuth (REFRESH_TOKEN_AUTH takes SECRET_HASH); the user name in it is the
    // internal one, the sub in an e-mail pool (aws/aws-sdk-net-extensions-cognito#122,
    // aws-amplify/amplify-android#3111).
    const { email, tokens } = await enrolledUser(h, 'hash-refresh');
    const sub = (await h.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username!;
    await expectCognitoError(
      initiate({ REFRESH_TOKEN: tokens.RefreshToken }),
      'NotAuthorizedException',
      refused,
    );
    await expectCognitoError(
      initiate({ REFRESH_TOKEN: tokens.RefreshToken, SECRET_HASH: hashFor(h, email)! }),
      'NotAuthorizedException',
      refused,
    );
    const refreshed = await initiate({ REFRESH_TOKEN: tokens.RefreshToken, SECRET_HASH: hashFor(h, sub)! });
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  localOnly(MAILBOX)(
    'asks ForgotPassword, ConfirmForgotPassword, SignUp and ResendConfirmationCode for a SecretHash',
    async () => {
      // API reference: ForgotPassword, ConfirmForgotPassword, SignUp, ResendConfirmationCode (SecretHash).
      const { email } = await enrolledUser(h, 'hash-reset');
      const forgot = (secretHash?: string) =>
        h.client.send(
          new ForgotPasswordCommand({
            ClientId: h.cognito.userPoolClientId,
            Username: email,
            ...(secretHash ? { SecretHash: secretHash } : {}),
          }),
        );
      await expectCognitoError(forgot(), 'NotAuthorizedException', refused);
      await expectCognitoError(forgot(hashFor(h, 'other@example.com')), 'NotAuthorizedException', refused);
      // Unknown names are refused for the hash the same way (and answered like known ones with it).
      await expectCognitoError(
        h.client.send(
          new ForgotPasswordCommand({
            ClientId: h.cognito.userPoolClientId,
            Username: uniqueEmail('nobody'),
          }),
        ),
        'NotAuthorizedException',
        refused,
      );
      await forgot(hashFor(h, email));
      const confirm = (secretHash?: string) =>
        h.client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: h.cognito.userPoolClientId,
            Username: email,
            ConfirmationCode: lastCode(h, email, 'password-reset'),
            Password: 'a reset made with the secret',
            ...(secretHash ? { SecretHash: secretHash } : {}),
          }),
        );
      await expectCognitoError(confirm(), 'NotAuthorizedException', refused);
      await confirm(hashFor(h, email));
      expect((await passwordAuth(h, email, 'a reset made with the secret')).ChallengeName).toBe(
        'SOFTWARE_TOKEN_MFA',
      );

      const self = uniqueEmail('self');
      const signUp = (secretHash?: string) =>
        h.client.send(
          new SignUpCommand({
            ClientId: h.cognito.userPoolClientId,
            Username: self,
            Password: STRONG_PASSWORD,
            ...(secretHash ? { SecretHash: secretHash } : {}),
          }),
        );
      await expectCognitoError(signUp(), 'NotAuthorizedException', refused);
      // With the hash, the pool's own refusal (AllowAdminCreateUserOnly) is the answer.
      await expectCognitoError(
        signUp(hashFor(h, self)),
        'NotAuthorizedException',
        'SignUp is not permitted for this user pool',
      );
      await expectCognitoError(
        h.client.send(
          new ResendConfirmationCodeCommand({ ClientId: h.cognito.userPoolClientId, Username: email }),
        ),
        'NotAuthorizedException',
        refused,
      );
    },
  );

  it('needs nothing but the access token on token-authorised calls', async () => {
    // API reference: GetUser, AssociateSoftwareToken, VerifySoftwareToken, ChangePassword,
    // SetUserMFAPreference, UpdateUserAttributes, GlobalSignOut, DeleteUser (no SecretHash field).
    const { email, tokens } = await enrolledUser(h, 'hash-token');
    const AccessToken = tokens.AccessToken;
    expect((await h.client.send(new GetUserCommand({ AccessToken }))).Username).toBeTruthy();
    await h.client.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'name', Value: 'Renamed' }] }),
    );
    await h.client.send(
      new ChangePasswordCommand({
        AccessToken,
        PreviousPassword: STRONG_PASSWORD,
        ProposedPassword: 'changed with only a token',
      }),
    );
    const { SecretCode } = await h.client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await nextTotpStep(h);
    const verified = await h.client.send(
      new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpAt(SecretCode!, h.clock.ms) }),
    );
    expect(verified.Status).toBe('SUCCESS');
    await h.client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    await h.client.send(new GlobalSignOutCommand({ AccessToken }));
    const again = await enrolledUser(h, 'hash-token-delete');
    await h.client.send(new DeleteUserCommand({ AccessToken: again.tokens.AccessToken }));
    await expectCognitoError(passwordAuth(h, again.email, STRONG_PASSWORD), 'NotAuthorizedException');
    expect((await passwordAuth(h, email, 'changed with only a token')).ChallengeName).toBe(
      'SOFTWARE_TOKEN_MFA',
    );
  });

  it('asks RevokeToken for the ClientSecret (local choice: UnauthorizedException, the only "not authorized" RevokeToken declares)', async () => {
    // API reference: RevokeToken (ClientSecret "required only if the client ID has a secret"; its
    // errors name UnauthorizedException, not NotAuthorizedException). The message is not documented.
    const { tokens } = await enrolledUser(h, 'hash-revoke');
    const sub = (await h.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username!;
    const revoke = (clientSecret?: string) =>
      h.client.send(
        new RevokeTokenCommand({
          ClientId: h.cognito.userPoolClientId,
          Token: tokens.RefreshToken,
          ...(clientSecret ? { ClientSecret: clientSecret } : {}),
        }),
      );
    await expectCognitoError(revoke(), 'UnauthorizedException', refused);
    await expectCognitoError(revoke('not-the-secret'), 'UnauthorizedException', refused);
    expect((await h.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username).toBe(sub);
    await revoke(h.cognito.userPoolClientSecret);
    await expectCognitoError(
      h.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
  });

  it('signs a user in through the whole MFA flow with the harness adding the hashes', async () => {
    // The same enrolment as a public client, every call carrying its SECRET_HASH.
    const email = uniqueEmail('hash-flow');
    const session = await confirmPassword(h, email, await createUser(h, email));
    const { tokens } = await completeMfaSetup(h, email, session);
    expect(tokens.IdToken).toBeTruthy();
  });
});
