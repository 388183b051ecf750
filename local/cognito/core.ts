/**
 * What every handler needs: the pool, the app client, the user store (cognito-local's), our own state,
 * and the checks Cognito makes on every call that takes a user name or an access token. A Core is made
 * per call (router.ts): its `ctx` and `state` read and write that call's unit of work.
 */
import type { AppClient } from 'cognito-local/lib/services/appClient';
import type { Clock } from 'cognito-local/lib/services/clock';
import type { CognitoService } from 'cognito-local/lib/services/cognitoService';
import type { Context } from 'cognito-local/lib/services/context';
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService';
import type { Settings } from '../../infra/settings';
import type { MessageSender } from '../mailbox/message';
import { cognitoError, MESSAGES } from './errors';
import type { ChallengeSessions } from './sessions';
import type { LocalState } from './state';
import type { TokenSigner } from './tokens';
import type { CallContext } from './user-store';

/** cognito-local's app client plus the Cognito settings it does not model. */
export type LocalAppClient = AppClient & {
  AuthSessionValidity?: number;
  RefreshTokenRotation?: { Feature: 'ENABLED' | 'DISABLED'; RetryGracePeriodSeconds?: number };
};

/** The retry grace period in milliseconds when the client rotates refresh tokens, else undefined. */
export function rotationGraceMs(client: LocalAppClient): number | undefined {
  const rotation = client.RefreshTokenRotation;
  return rotation?.Feature === 'ENABLED' ? (rotation.RetryGracePeriodSeconds ?? 0) * 1000 : undefined;
}

/** What stays the same from call to call. */
export interface CoreServices {
  readonly ctx: Context;
  readonly settings: Settings;
  readonly poolId: string;
  readonly issuer: string;
  readonly now: () => number;
  readonly clock: Clock;
  readonly cognito: CognitoService;
  readonly sessions: ChallengeSessions;
  /** startLocalCognito's revocationWindowMs (0: off). */
  readonly revocationWindowMs: number;
  readonly signer: TokenSigner;
  readonly sendMessage: MessageSender;
}

export interface Core extends CoreServices {
  /** cognito-local's context with this call's unit (user-store.ts's CallContext). */
  readonly ctx: CallContext;
  readonly state: LocalState;
}

export const pool = (core: Core): Promise<UserPoolService> => core.cognito.getUserPool(core.ctx, core.poolId);

export function attribute(user: User, name: string): string | undefined {
  return user.Attributes.find((a) => a.Name === name)?.Value;
}

/**
 * The pool signs users in by e-mail, case-insensitively (UsernameConfiguration.CaseSensitive false),
 * and also accepts the internal user name (the sub): one look-up in the store's alias index
 * (user-store.ts), whatever the size of the pool.
 */
export async function findUser(core: Core, name: unknown): Promise<User | null> {
  if (typeof name !== 'string' || name.length === 0) return null;
  return (await pool(core)).getUserByUsername(core.ctx, name);
}

/** Admin APIs run with IAM credentials and do reveal whether a user exists (Cognito documents this). */
export async function requireUser(core: Core, name: unknown): Promise<User> {
  const user = await findUser(core, name);
  if (!user) throw cognitoError('UserNotFoundException', MESSAGES.userDoesNotExist);
  return user;
}

export function assertUserPoolId(core: Core, userPoolId: unknown): void {
  if (userPoolId !== core.poolId) {
    throw cognitoError('ResourceNotFoundException', `User pool ${String(userPoolId)} does not exist.`);
  }
}

export async function appClient(core: Core, clientId: unknown): Promise<LocalAppClient> {
  const client = typeof clientId === 'string' ? await core.cognito.getAppClient(core.ctx, clientId) : null;
  if (!client || client.UserPoolId !== core.poolId) {
    throw cognitoError('ResourceNotFoundException', `User pool client ${String(clientId)} does not exist.`);
  }
  return client;
}

export async function saveUser(core: Core, user: User): Promise<void> {
  await (await pool(core)).saveUser(core.ctx, { ...user, UserLastModifiedDate: core.clock.get() });
}

/**
 * GlobalSignOut and AdminUserGlobalSignOut: every sign-in of the user so far is revoked and, with a
 * revocation window, those authenticated in the window that follows too (threads on row 7c of the
 * reference notes: revocation behaves as time-based, not strictly per sign-in).
 */
export function globalSignOutUser(core: Core, username: string): void {
  core.state.revokeAllFor(username);
  if (core.revocationWindowMs > 0) {
    const extras = core.state.user(username);
    extras.revokeSignInsUntilMs = Math.max(
      extras.revokeSignInsUntilMs ?? 0,
      core.now() + core.revocationWindowMs,
    );
  }
}

/** Deleting a user ends its sign-ins, refresh tokens and challenge sessions with it. */
export async function deleteUser(core: Core, user: User): Promise<void> {
  await (await pool(core)).deleteUser(core.ctx, user);
  await core.state.forgetUser(user.Username);
  core.sessions.endAllFor(user.Username);
}

/**
 * Every call that takes an access token checks what Cognito checks: our signature and issuer, expiry,
 * token_use, and that neither GlobalSignOut nor RevokeToken has revoked the sign-in it came from.
 */
export async function authenticate(core: Core, accessToken: unknown): Promise<User> {
  const claims = await core.signer.verify(accessToken, core.issuer, core.now());
  if (claims === 'expired') throw cognitoError('NotAuthorizedException', MESSAGES.expiredAccessToken);
  if (claims === 'invalid' || claims.token_use !== 'access') {
    throw cognitoError('NotAuthorizedException', MESSAGES.invalidAccessToken);
  }
  const signIn = core.state.signIn(claims.origin_jti);
  if (!signIn || core.state.isRevoked(signIn) || signIn.username !== claims.username) {
    throw cognitoError('NotAuthorizedException', MESSAGES.revokedAccessToken);
  }
  const user = await findUser(core, claims.username);
  if (!user) throw cognitoError('NotAuthorizedException', MESSAGES.userDoesNotExist);
  if (!user.Enabled) throw cognitoError('NotAuthorizedException', MESSAGES.userDisabled);
  return user;
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** A token lifetime in seconds from the app client's value and unit, with Cognito's defaults. */
export function validitySeconds(
  value: number | undefined,
  unit: string | undefined,
  defaults: { value: number; unit: string },
): number {
  return (value ?? defaults.value) * (UNIT_SECONDS[unit ?? defaults.unit] ?? 1);
}

export function lifetimes(client: LocalAppClient) {
  const units = client.TokenValidityUnits ?? {};
  return {
    accessSeconds: validitySeconds(client.AccessTokenValidity, units.AccessToken, {
      value: 1,
      unit: 'hours',
    }),
    idSeconds: validitySeconds(client.IdTokenValidity, units.IdToken, { value: 1, unit: 'hours' }),
    refreshSeconds: validitySeconds(client.RefreshTokenValidity, units.RefreshToken, {
      value: 30,
      unit: 'days',
    }),
    sessionMs: (client.AuthSessionValidity ?? 3) * 60_000,
  };
}

export const isEnrolledInTotp = (user: User): boolean =>
  user.SoftwareTokenMfaConfiguration?.Verified === true &&
  (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
