/**
 * Sign-in as a user pool with MFA ON and software tokens does it:
 *   password -> NEW_PASSWORD_REQUIRED (temporary password) -> MFA_SETUP (never enrolled)
 *            -> SOFTWARE_TOKEN_MFA (enrolled) -> tokens (issuance.ts).
 * Under MFA_SETUP the token is associated and verified on the Session (software-token.ts) first.
 * Reference pages: InitiateAuth, RespondToAuthChallenge, AdminInitiateAuth, AdminRespondToAuthChallenge
 * (Amazon Cognito user pools API reference).
 */
import type {
  AdminInitiateAuthRequest,
  AdminRespondToAuthChallengeRequest,
  InitiateAuthRequest,
  RespondToAuthChallengeRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import type { User } from 'cognito-local/lib/services/userPoolService';
import {
  appClient,
  assertUserPoolId,
  findUser,
  isEnrolledInTotp,
  lifetimes,
  pool,
  rotationGraceMs,
  saveUser,
  type Core,
  type LocalAppClient,
} from './core';
import { cognitoError, MESSAGES, missing } from './errors';
import { refresh, signIn, type AuthParameters, type AuthResult } from './issuance';
import { assertNotLockedOut, recordPasswordFailure, recordPasswordSuccess, throttleKey } from './lockout';
import { assertPasswordMeetsPolicy } from './passwords';
import { assertSecretHash } from './secrets';
import type { ChallengeName } from './sessions';
import { spendTotp } from './software-token';

function requireFlow(client: LocalAppClient, flow: string, message: string): void {
  if (!(client.ExplicitAuthFlows ?? []).includes(flow))
    throw cognitoError('InvalidParameterException', message);
}

/**
 * A rotating client refuses REFRESH_TOKEN_AUTH: rotation is done with GetTokensFromRefreshToken only,
 * and the flow must be off in such a client (API reference RefreshTokenRotationType; developer guide
 * "Refresh tokens"). The answer is the disabled flow's (local choice: AWS's exact answer not found).
 */
function requireRefreshFlow(client: LocalAppClient, message: string): void {
  if (rotationGraceMs(client) !== undefined) throw cognitoError('InvalidParameterException', message);
  requireFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH', message);
}

export async function initiateAuth(core: Core, req: InitiateAuthRequest): Promise<AuthResult> {
  const client = await appClient(core, req.ClientId);
  const params = req.AuthParameters ?? {};
  switch (req.AuthFlow) {
    case 'USER_PASSWORD_AUTH':
      requireFlow(client, 'ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH flow not enabled for this client');
      return passwordSignIn(core, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireRefreshFlow(client, 'REFRESH_TOKEN_AUTH flow not enabled for this client');
      return refresh(core, client, params);
    default:
      throw cognitoError(
        'InvalidParameterException',
        `${String(req.AuthFlow)} flow not enabled for this client`,
      );
  }
}

export async function adminInitiateAuth(core: Core, req: AdminInitiateAuthRequest): Promise<AuthResult> {
  assertUserPoolId(core, req.UserPoolId);
  const client = await appClient(core, req.ClientId);
  const params = req.AuthParameters ?? {};
  switch (req.AuthFlow) {
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      requireFlow(client, 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'Auth flow not enabled for this client');
      return passwordSignIn(core, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireRefreshFlow(client, 'Auth flow not enabled for this client');
      return refresh(core, client, params);
    default:
      throw cognitoError('InvalidParameterException', 'Auth flow not enabled for this client');
  }
}

async function passwordSignIn(
  core: Core,
  client: LocalAppClient,
  params: AuthParameters,
): Promise<AuthResult> {
  const { USERNAME: username, PASSWORD: password } = params;
  if (!username) missing('USERNAME');
  if (!password) missing('PASSWORD');
  // Over the name exactly as sent: the alias (e-mail) or the internal user name.
  assertSecretHash(client, username, params.SECRET_HASH);
  const user = await findUser(core, username);
  if (!user && client.PreventUserExistenceErrors !== 'ENABLED') {
    throw cognitoError('UserNotFoundException', MESSAGES.userDoesNotExist);
  }
  const lockout = throttleKey(user, username);
  assertNotLockedOut(core, lockout);
  // PreventUserExistenceErrors ENABLED: an unknown user and a wrong password get the same answer,
  // and a disabled user with a wrong password too ("Managing user existence error responses").
  if (!user || user.Password !== password) {
    recordPasswordFailure(core, lockout);
    throw cognitoError('NotAuthorizedException', MESSAGES.incorrectCredentials);
  }
  recordPasswordSuccess(core, lockout);
  if (!user.Enabled) throw cognitoError('NotAuthorizedException', MESSAGES.userDisabled);
  switch (user.UserStatus) {
    case 'FORCE_CHANGE_PASSWORD': {
      const issuedAt =
        core.state.user(user.Username).temporaryPasswordIssuedAt ?? user.UserCreateDate.getTime();
      const validDays = core.settings.passwordPolicy.temporaryPasswordValidityDays;
      if (core.now() > issuedAt + validDays * 86_400_000) {
        throw cognitoError('NotAuthorizedException', MESSAGES.temporaryPasswordExpired);
      }
      const userAttributes = Object.fromEntries(
        user.Attributes.filter((a) => a.Name !== 'sub').map((a) => [a.Name, a.Value]),
      );
      return challenge(core, client, user, 'NEW_PASSWORD_REQUIRED', {
        userAttributes: JSON.stringify(userAttributes),
        requiredAttributes: '[]',
      });
    }
    case 'RESET_REQUIRED':
      throw cognitoError('PasswordResetRequiredException', MESSAGES.passwordResetRequired);
    case 'UNCONFIRMED':
      throw cognitoError('UserNotConfirmedException', MESSAGES.userNotConfirmed);
    default:
      return afterPassword(core, client, user);
  }
}

/** Once the password is settled, the pool's MFA configuration decides the next step. */
async function afterPassword(core: Core, client: LocalAppClient, user: User): Promise<AuthResult> {
  const mfa = (await pool(core)).options.MfaConfiguration ?? 'OFF';
  if (isEnrolledInTotp(user) && mfa !== 'OFF') return challenge(core, client, user, 'SOFTWARE_TOKEN_MFA', {});
  if (mfa === 'ON') {
    return challenge(core, client, user, 'MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' });
  }
  return signIn(core, client, user);
}

function challenge(
  core: Core,
  client: LocalAppClient,
  user: User,
  name: ChallengeName,
  parameters: Record<string, string>,
): AuthResult {
  const session = core.sessions.start(
    { username: user.Username, clientId: client.ClientId, challenge: name },
    lifetimes(client).sessionMs,
  );
  return {
    ChallengeName: name,
    Session: session,
    ChallengeParameters: { USER_ID_FOR_SRP: user.Username, ...parameters },
  };
}

export async function respondToAuthChallenge(
  core: Core,
  req: RespondToAuthChallengeRequest,
): Promise<AuthResult> {
  const client = await appClient(core, req.ClientId);
  const responses = req.ChallengeResponses ?? {};
  if (!responses.USERNAME) missing('USERNAME');
  // The hash goes with the USERNAME of the same responses, e-mail or sub (aws-amplify/aws-sdk-android#1144).
  assertSecretHash(client, responses.USERNAME, responses.SECRET_HASH);
  const session = core.sessions.get(req.Session);
  // A session belongs to one user, one client and one challenge; anything else is not this session.
  if (session.clientId !== client.ClientId || session.challenge !== req.ChallengeName) {
    throw cognitoError('NotAuthorizedException', MESSAGES.invalidSession);
  }
  const named = await findUser(core, responses.USERNAME);
  const user = await findUser(core, session.username);
  if (!user || named?.Username !== user.Username) {
    throw cognitoError('NotAuthorizedException', MESSAGES.invalidSession);
  }
  const sessionId = req.Session as string;

  switch (session.challenge) {
    case 'NEW_PASSWORD_REQUIRED': {
      const newPassword = responses.NEW_PASSWORD;
      if (!newPassword) missing('NEW_PASSWORD');
      assertPasswordMeetsPolicy(core.settings.passwordPolicy, newPassword);
      const attributes = Object.entries(responses)
        .filter(([key]) => key.startsWith('userAttributes.'))
        .map(([key, value]) => ({ Name: key.slice('userAttributes.'.length), Value: value }));
      const kept = user.Attributes.filter((a) => !attributes.some((b) => b.Name === a.Name));
      const confirmed: User = {
        ...user,
        Attributes: [...kept, ...attributes].sort((a, b) => a.Name.localeCompare(b.Name)),
        Password: newPassword,
        UserStatus: 'CONFIRMED',
      };
      await saveUser(core, confirmed);
      delete core.state.user(user.Username).temporaryPasswordIssuedAt;
      core.sessions.end(sessionId);
      return afterPassword(core, client, confirmed);
    }
    case 'MFA_SETUP': {
      // Only a session on which VerifySoftwareToken succeeded completes the setup.
      if (!session.totpVerified) throw cognitoError('NotAuthorizedException', MESSAGES.invalidSession);
      core.sessions.end(sessionId);
      return signIn(core, client, user);
    }
    case 'SOFTWARE_TOKEN_MFA': {
      const code = responses.SOFTWARE_TOKEN_MFA_CODE;
      if (!code) missing('SOFTWARE_TOKEN_MFA_CODE');
      const secret = user.SoftwareTokenMfaConfiguration?.Secret;
      if (!secret)
        throw cognitoError(
          'SoftwareTokenMFANotFoundException',
          'Software Token MFA has not been enabled by the user.',
        );
      spendTotp(core, user, secret, code, 'CodeMismatchException', MESSAGES.totpMismatch);
      core.sessions.end(sessionId);
      return signIn(core, client, user);
    }
  }
}

export async function adminRespondToAuthChallenge(
  core: Core,
  req: AdminRespondToAuthChallengeRequest,
): Promise<AuthResult> {
  assertUserPoolId(core, req.UserPoolId);
  return respondToAuthChallenge(core, req);
}
