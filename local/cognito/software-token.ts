/**
 * Software tokens: AssociateSoftwareToken and VerifySoftwareToken, with an MFA_SETUP Session or an
 * access token, and the TOTP check every code goes through (totp.ts, each time step spent once).
 * Reference pages: AssociateSoftwareToken, VerifySoftwareToken (Amazon Cognito user pools API
 * reference).
 */
import type {
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { User } from 'cognito-local/lib/services/userPoolService';
import { appClient, authenticate, findUser, lifetimes, saveUser, type Core } from './core';
import { cognitoError, MESSAGES, missing } from './errors';
import { checkTotp, newTotpSecret } from './totp';

/** Checks a TOTP code and records its time step, so the same code cannot be spent twice. */
export function spendTotp(
  core: Core,
  user: User,
  secret: string,
  code: string,
  mismatch: 'CodeMismatchException' | 'EnableSoftwareTokenMFAException',
  mismatchMessage: string,
): void {
  const extras = core.state.user(user.Username);
  const check = checkTotp(secret, code, core.now(), extras.lastTotpStep);
  if (!check.ok && check.reason === 'reused') throw cognitoError('ExpiredCodeException', MESSAGES.totpReused);
  if (!check.ok) throw cognitoError(mismatch, mismatchMessage);
  extras.lastTotpStep = check.step;
}

export async function associateSoftwareToken(
  core: Core,
  req: AssociateSoftwareTokenRequest,
): Promise<AssociateSoftwareTokenResponse> {
  const secret = newTotpSecret();
  if (req.AccessToken) {
    await suspendSoftwareToken(core, await authenticate(core, req.AccessToken), secret);
    return { SecretCode: secret };
  }
  const session = core.sessions.get(req.Session);
  if (session.challenge !== 'MFA_SETUP')
    throw cognitoError('NotAuthorizedException', MESSAGES.invalidSession);
  const client = await appClient(core, session.clientId);
  core.sessions.end(req.Session as string);
  const next = core.sessions.start(
    { username: session.username, clientId: session.clientId, challenge: 'MFA_SETUP', totpSecret: secret },
    lifetimes(client).sessionMs,
  );
  return { SecretCode: secret, Session: next };
}

/**
 * AssociateSoftwareToken with an access token suspends the current software token at once (API
 * reference AssociateSoftwareToken, note; aws-amplify/amplify-js#1226): its codes stop working and
 * TOTP no longer counts as enabled, so a pool that requires MFA answers MFA_SETUP at every sign-in and
 * an optional pool lets the password alone sign in, until a token is verified. The new secret waits,
 * unverified, in the user's software-token configuration.
 */
async function suspendSoftwareToken(core: Core, user: User, secret: string): Promise<void> {
  const extras = core.state.user(user.Username);
  const list = user.UserMFASettingList ?? [];
  // A second association before any verification keeps what the first one suspended.
  extras.suspendedTotp ??= {
    enabled: list.includes('SOFTWARE_TOKEN_MFA'),
    preferred: user.PreferredMfaSetting === 'SOFTWARE_TOKEN_MFA',
  };
  const { PreferredMfaSetting, ...rest } = user;
  await saveUser(core, {
    ...rest,
    SoftwareTokenMfaConfiguration: { Secret: secret, Verified: false },
    UserMFASettingList: list.filter((m) => m !== 'SOFTWARE_TOKEN_MFA'),
    ...(PreferredMfaSetting && PreferredMfaSetting !== 'SOFTWARE_TOKEN_MFA' ? { PreferredMfaSetting } : {}),
  });
}

/** A software token Cognito has seen a correct code for. */
const verifiedToken = (secret: string, friendlyDeviceName: string | undefined) => ({
  Secret: secret,
  Verified: true,
  ...(friendlyDeviceName ? { FriendlyDeviceName: friendlyDeviceName } : {}),
});

export async function verifySoftwareToken(
  core: Core,
  req: VerifySoftwareTokenRequest,
): Promise<VerifySoftwareTokenResponse> {
  if (!req.UserCode) missing('UserCode');
  if (req.AccessToken) {
    const user = await authenticate(core, req.AccessToken);
    const pending = user.SoftwareTokenMfaConfiguration;
    // Nothing associated and waiting (local choice: also when a verified token is in place).
    if (!pending?.Secret || pending.Verified) {
      throw cognitoError(
        'SoftwareTokenMFANotFoundException',
        'Software Token MFA has not been associated with the user.',
      );
    }
    spendTotp(
      core,
      user,
      pending.Secret,
      req.UserCode,
      'EnableSoftwareTokenMFAException',
      MESSAGES.totpSetupMismatch,
    );
    // The new token is the verified one; the suspended one is gone (API reference
    // AssociateSoftwareToken, note). Whether sign-in uses it is SetUserMFAPreference's call, except that
    // a user who had TOTP enabled before the association gets it back (local choice: undocumented).
    const extras = core.state.user(user.Username);
    const restore = extras.suspendedTotp;
    delete extras.suspendedTotp;
    const list = (user.UserMFASettingList ?? []).filter((m) => m !== 'SOFTWARE_TOKEN_MFA');
    await saveUser(core, {
      ...user,
      SoftwareTokenMfaConfiguration: verifiedToken(pending.Secret, req.FriendlyDeviceName),
      UserMFASettingList: restore?.enabled ? [...list, 'SOFTWARE_TOKEN_MFA'] : list,
      ...(restore?.preferred ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}),
    });
    return { Status: 'SUCCESS' };
  }
  const session = core.sessions.get(req.Session);
  const user = await findUser(core, session.username);
  if (session.challenge !== 'MFA_SETUP' || !session.totpSecret || !user) {
    throw cognitoError('NotAuthorizedException', MESSAGES.invalidSession);
  }
  // A wrong code leaves the session usable, so the user can type the next code.
  spendTotp(
    core,
    user,
    session.totpSecret,
    req.UserCode,
    'EnableSoftwareTokenMFAException',
    MESSAGES.totpSetupMismatch,
  );
  // Completing MFA_SETUP enrols the user: software-token MFA on and preferred.
  delete core.state.user(user.Username).suspendedTotp;
  await saveUser(core, {
    ...user,
    SoftwareTokenMfaConfiguration: verifiedToken(session.totpSecret, req.FriendlyDeviceName),
    UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
    PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
  });
  const client = await appClient(core, session.clientId);
  core.sessions.end(req.Session as string);
  const next = core.sessions.start({ ...session, totpVerified: true }, lifetimes(client).sessionMs);
  return { Status: 'SUCCESS', Session: next };
}
