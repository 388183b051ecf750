/**
 * The scope of each call (locks.ts): the user it acts on, found from what the request names (a user
 * name, an access token, a challenge session, a refresh token), or EXCLUSIVE for calls that change
 * records several users share. Found from committed state only; the call itself checks everything
 * again once its scope is held.
 */
import { decodeJwt } from 'jose';
import { findUser, type Core } from './core';
import { EXCLUSIVE, type Scope } from './locks';

type Request = Record<string, unknown>;

/** A user name as the request gives it: the user's key if one answers to it, else the name's own. */
async function named(core: Core, name: unknown): Promise<Scope> {
  if (typeof name !== 'string' || name.length === 0) return '';
  const user = await findUser(core, name);
  return user ? `user:${user.Username}` : `name:${name.toLowerCase()}`;
}

/** The user an access token says it is for; a forged one can only choose which call it waits for. */
function tokenUser(token: unknown): Scope {
  if (typeof token !== 'string') return '';
  try {
    const { username } = decodeJwt(token);
    return typeof username === 'string' ? `user:${username}` : '';
  } catch {
    return '';
  }
}

const sessionUser = (core: Core, session: unknown): Scope => {
  const username = core.sessions.userOf(session);
  return username ? `user:${username}` : '';
};

const refreshUser = (core: Core, token: unknown): Scope => {
  const found = typeof token === 'string' ? core.state.findByRefreshToken(token) : undefined;
  return found ? `user:${found.signIn.username}` : '';
};

const params = (request: Request) => (request.AuthParameters ?? {}) as Request;

const SCOPES: Record<string, (core: Core, request: Request) => Scope | Promise<Scope>> = {
  InitiateAuth: (core, r) =>
    params(r).REFRESH_TOKEN !== undefined
      ? refreshUser(core, params(r).REFRESH_TOKEN)
      : named(core, params(r).USERNAME),
  AdminInitiateAuth: (core, r) => SCOPES.InitiateAuth!(core, r),
  RespondToAuthChallenge: (core, r) => sessionUser(core, r.Session),
  AdminRespondToAuthChallenge: (core, r) => sessionUser(core, r.Session),
  AssociateSoftwareToken: (core, r) =>
    r.AccessToken ? tokenUser(r.AccessToken) : sessionUser(core, r.Session),
  VerifySoftwareToken: (core, r) => (r.AccessToken ? tokenUser(r.AccessToken) : sessionUser(core, r.Session)),
  GetTokensFromRefreshToken: (core, r) => refreshUser(core, r.RefreshToken),
  RevokeToken: (core, r) => refreshUser(core, r.Token),
  SetUserMFAPreference: (_core, r) => tokenUser(r.AccessToken),
  GetUser: (_core, r) => tokenUser(r.AccessToken),
  ChangePassword: (_core, r) => tokenUser(r.AccessToken),
  GlobalSignOut: (_core, r) => tokenUser(r.AccessToken),
  ForgotPassword: (core, r) => named(core, r.Username),
  ConfirmForgotPassword: (core, r) => named(core, r.Username),
  AdminCreateUser: (core, r) => named(core, r.Username),
  AdminResetUserPassword: (core, r) => named(core, r.Username),
  AdminSetUserMFAPreference: (core, r) => named(core, r.Username),
  AdminUserGlobalSignOut: (core, r) => named(core, r.Username),
  SignUp: () => '',
  // Falling through to cognito-local: the user's own record (the code it sends, then its check).
  GetUserAttributeVerificationCode: (_core, r) => tokenUser(r.AccessToken),
  VerifyUserAttribute: (_core, r) => tokenUser(r.AccessToken),
  // Falling through, and reading only.
  AdminGetUser: () => '',
  AdminListGroupsForUser: () => '',
  DescribeUserPool: () => '',
  DescribeUserPoolClient: () => '',
  ListUsers: () => '',
  ListGroups: () => '',
  // A deletion takes the user out of every group: group records are shared.
  DeleteUser: () => EXCLUSIVE,
  AdminDeleteUser: () => EXCLUSIVE,
};

/**
 * The scope of a call. Other calls that fall through to cognito-local run alone: they may write
 * whatever cognito-local's handler does (groups, the pool, any user).
 */
export async function scopeOf(core: Core, target: string, request: Request): Promise<Scope> {
  const scope = Object.hasOwn(SCOPES, target) ? SCOPES[target] : undefined;
  return scope ? scope(core, request) : EXCLUSIVE;
}
