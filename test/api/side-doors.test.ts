/**
 * What a client can do with what it holds, called on Cognito directly rather than through the API: the
 * app client id (public, in every app), and a user's access and refresh tokens. Each test names a
 * promise of the API that such a call must not break (README, "What a client can call on Cognito").
 */
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  DeleteUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  LoginDocument,
  RecoverMfaDocument,
  RefreshDocument,
  UserInfoDocument,
} from '../generated/graphql';
import { recoveryKey } from '../../functions/domain/recovery-codes';
import { handler as sweepOrphans } from '../../functions/sweepOrphans/handler';
import {
  enrolUser,
  expectRefused,
  PASSWORD,
  signIn,
  startApi,
  storedObjectExists,
  uniqueEmail,
  type Api,
} from './harness';

let api: Api;
let cognito: CognitoIdentityProviderClient;
beforeAll(async () => {
  api = await startApi();
  cognito = new CognitoIdentityProviderClient({
    region: api.stack.outputs.region,
    endpoint: api.stack.outputs.cognitoEndpoint,
    credentials: { accessKeyId: 'anyone', secretAccessKey: 'anyone' },
  });
});
afterAll(async () => {
  cognito.destroy();
  await api.close();
});

/** The exception name of a refused call (undefined if it went through). */
const refusal = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: { name?: string; message?: string }) => `${e.name}: ${e.message}`,
  );

describe('the public client id alone', () => {
  it('cannot sign in, answer a challenge or reset a password around the API (no secret hash)', async () => {
    const user = await enrolUser(api);
    const clientId = api.stack.outputs.userPoolClientId;
    const noHash = /^NotAuthorizedException: Unable to verify secret hash for client/;

    expect(
      await refusal(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
          }),
        ),
      ),
    ).toMatch(noHash);
    // A session from the API's own login, answered directly: still needs the hash.
    const login = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    expect(
      await refusal(
        cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: login.data!.login!.session,
            ChallengeResponses: { USERNAME: user.email, SOFTWARE_TOKEN_MFA_CODE: api.totp(user.secret) },
          }),
        ),
      ),
    ).toMatch(noHash);
    expect(
      await refusal(cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: user.email }))),
    ).toMatch(noHash);
    expect(
      await refusal(
        cognito.send(
          new ConfirmForgotPasswordCommand({
            ClientId: clientId,
            Username: user.email,
            ConfirmationCode: '123456',
            Password: `${PASSWORD} new`,
          }),
        ),
      ),
    ).toMatch(noHash);
    expect(api.stack.mailbox.messages({ to: user.email }).map((m) => m.kind)).toEqual(['invitation']);
  });
});

describe("a user's refresh token alone", () => {
  it('cannot be exchanged for new tokens without the client secret', async () => {
    const user = await enrolUser(api);
    const answer = await refusal(
      cognito.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: api.stack.outputs.userPoolClientId,
          RefreshToken: user.tokens.refreshToken,
        }),
      ),
    );
    expect(answer).toMatch(/^NotAuthorizedException/);
  });
});

describe("a user's access token, called on Cognito directly", () => {
  it('suspending the authenticator (AssociateSoftwareToken) gives no new one through login: only a recovery code does', async () => {
    const user = await enrolUser(api);
    const associated = await cognito.send(
      new AssociateSoftwareTokenCommand({ AccessToken: user.tokens.accessToken }),
    );
    expect(associated.SecretCode).toMatch(/^[A-Z2-7]{32}$/);

    // The password alone: no tokens, no enrolment, nothing of the new secret.
    const login = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    const refused = expectRefused(login, 'NOT_AUTHORIZED', 'login', [associated.SecretCode!]);
    expect(refused.message).toMatch(/recoverMfa/);

    // The way back in: password + an unused recovery code, then the new authenticator.
    const recovered = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: user.recoveryCodes[0]! },
    });
    expect(recovered.errors).toEqual([]);
    const setup = recovered.data!.recoverMfa!;
    const done = await api.call(ConfirmMfaDocument, {
      input: { email: user.email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expect(done.data!.confirmMfa!.mfaStatus).toBe('CONFIRMED');
    api.advance(30_000);
    expect((await signIn(api, { ...user, secret: setup.secretCode })).tokenType).toBe('Bearer');

    // Whoever held the account's tokens before the recovery (who suspended it) holds nothing now:
    // no refresh, and no Cognito call to replace the new authenticator with.
    expectRefused(
      await api.call(RefreshDocument, { input: { refreshToken: user.tokens.refreshToken } }),
      'NOT_AUTHORIZED',
      'refresh',
    );
    expect(
      await refusal(
        cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: user.tokens.accessToken })),
      ),
    ).toMatch(/^NotAuthorizedException: Access Token has been revoked/);
  });

  it('can change the name and phone number, never the e-mail that is the user name and recovery channel', async () => {
    const user = await enrolUser(api);
    await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: user.tokens.accessToken,
        UserAttributes: [{ Name: 'name', Value: 'Renamed' }],
      }),
    );
    expect(
      await refusal(
        cognito.send(
          new UpdateUserAttributesCommand({
            AccessToken: user.tokens.accessToken,
            UserAttributes: [{ Name: 'email', Value: uniqueEmail('taken') }],
          }),
        ),
      ),
    ).toMatch(/^NotAuthorizedException: A client attempted to write unauthorized attribute/);
    const me = await api.call(UserInfoDocument, {}, { accessToken: user.tokens.accessToken });
    expect(me.data!.userinfo!).toMatchObject({ email: user.email, fullName: 'Renamed' });
  });

  it('switching TOTP off (SetUserMFAPreference) does not let the password alone sign in', async () => {
    const user = await enrolUser(api);
    await cognito.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: user.tokens.accessToken,
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    const login = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    expectRefused(login, 'NOT_AUTHORIZED', 'login');
    expect(login.data?.login ?? null).toBeNull();
  });
});

describe('one enrolment session completed twice at once', () => {
  it('enrols once: the other answer is SESSION_EXPIRED or CODE_MISMATCH, never an internal error', async () => {
    const email = uniqueEmail('race');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Race' } });
    const confirmed = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
    });
    const setup = confirmed.data!.confirmUser!;
    // Two codes Cognito accepts now: this 30-s step's and the previous one's.
    const now = api.totp(setup.secretCode);
    api.advance(-30_000);
    const before = api.totp(setup.secretCode);
    api.advance(30_000);
    const answers = await Promise.all(
      [now, before].map((otp) =>
        api.call(ConfirmMfaDocument, { input: { email, session: setup.session, otp } }),
      ),
    );
    expect(answers.filter((a) => a.data?.confirmMfa?.mfaStatus === 'CONFIRMED')).toHaveLength(1);
    const other = answers.find((a) => a.errors.length > 0)!;
    expect(['SESSION_EXPIRED', 'CODE_MISMATCH']).toContain(other.errors[0]!.errorType);
  });
});

describe('deleting the account on Cognito directly (DeleteUser with its access token)', () => {
  it('leaves objects that the daily sweep deletes, and the sweep keeps those of live accounts', async () => {
    const gone = await enrolUser(api);
    const kept = await enrolUser(api);
    const goneId = (await api.call(UserInfoDocument, {}, { accessToken: gone.tokens.accessToken })).data!
      .userinfo!.userId;
    const keptId = (await api.call(UserInfoDocument, {}, { accessToken: kept.tokens.accessToken })).data!
      .userinfo!.userId;
    await cognito.send(new DeleteUserCommand({ AccessToken: gone.tokens.accessToken }));
    expect(await storedObjectExists(api, recoveryKey(goneId))).toBe(true);

    const swept = await sweepOrphans();
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    expect(swept.truncated).toBe(false);
    expect(await storedObjectExists(api, recoveryKey(goneId))).toBe(false);
    expect(await storedObjectExists(api, recoveryKey(keptId))).toBe(true);
    expect((await sweepOrphans()).deleted).toBe(0);
  });
});

describe('the enrolment session', () => {
  it('carries no readable token, works for its own e-mail only, and refuses any change to it', async () => {
    const email = uniqueEmail('sealed');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Sealed' } });
    const confirmed = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
    });
    const setup = confirmed.data!.confirmUser!;
    // A JWE in compact form; no part of it decodes to JSON claims of a JWT.
    const parts = setup.session.split('.');
    expect(parts).toHaveLength(5);
    expect(setup.session).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);

    const other = uniqueEmail('sealed');
    const wrongEmail = await api.call(ConfirmMfaDocument, {
      input: { email: other, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expectRefused(wrongEmail, 'SESSION_EXPIRED', 'confirmMfa');

    const last = parts[3]!;
    const flipped = `${last.slice(0, 5)}${last[5] === 'A' ? 'B' : 'A'}${last.slice(6)}`;
    const tampered = await api.call(ConfirmMfaDocument, {
      input: {
        email,
        session: [...parts.slice(0, 3), flipped, parts[4]].join('.'),
        otp: api.totp(setup.secretCode),
      },
    });
    expectRefused(tampered, 'SESSION_EXPIRED', 'confirmMfa');

    // The untouched session still completes the enrolment, once.
    const done = await api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expect(done.data!.confirmMfa!.mfaStatus).toBe('CONFIRMED');
    const me = await api.call(
      UserInfoDocument,
      {},
      { accessToken: done.data!.confirmMfa!.tokens.accessToken },
    );
    expect(me.data!.userinfo!.mfaEnabled).toBe(true);
    api.advance(30_000);
    const again = await api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expectRefused(again, 'SESSION_EXPIRED', 'confirmMfa');
  });
});
