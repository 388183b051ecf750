/**
 * Our layer in front of cognito-local: every Cognito operation this API uses is answered here, as the
 * API reference describes it; any other target falls through to cognito-local unchanged (apart from
 * case-insensitive user names). Each call gets its own unit of work in the store (store.ts) and holds
 * its scope (scope.ts, locks.ts) from its first read until its writes are on disk: calls for different
 * users run side by side, one user's calls one after another, and nothing is answered before its
 * writes are durable.
 */
import { UnsupportedError } from 'cognito-local/lib/errors';
import type { Router } from 'cognito-local/lib/server/Router';
import type { Services } from 'cognito-local/lib/services';
import type { Context } from 'cognito-local/lib/services/context';
import {
  changePassword,
  confirmForgotPassword,
  deleteMe,
  forgotPassword,
  getUser,
  globalSignOut,
  revokeToken,
  setUserMfaPreference,
  signUp,
} from './account';
import {
  adminCreateUser,
  adminDeleteUser,
  adminResetUserPassword,
  adminSetUserMfaPreference,
  adminUserGlobalSignOut,
} from './admin';
import { appClient, authenticate, findUser, type Core, type CoreServices } from './core';
import { cognitoError, InternalError, isCognitoError, MESSAGES } from './errors';
import { getTokensFromRefreshToken } from './issuance';
import type { CallLocks } from './locks';
import { scopeOf } from './scope';
import { assertSecretHash } from './secrets';
import {
  adminInitiateAuth,
  adminRespondToAuthChallenge,
  initiateAuth,
  respondToAuthChallenge,
} from './sign-in';
import { associateSoftwareToken, verifySoftwareToken } from './software-token';
import { LocalState } from './state';
import type { Store } from './store';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request shapes are the SDK's, checked per handler
type Handler = (core: Core, request: any) => Promise<object>;

const HANDLERS: Record<string, Handler> = {
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  AdminInitiateAuth: adminInitiateAuth,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  AssociateSoftwareToken: associateSoftwareToken,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  VerifySoftwareToken: verifySoftwareToken,
  SetUserMFAPreference: setUserMfaPreference,
  AdminSetUserMFAPreference: adminSetUserMfaPreference,
  GetUser: getUser,
  ChangePassword: changePassword,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
  DeleteUser: deleteMe,
  GlobalSignOut: globalSignOut,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  RevokeToken: revokeToken,
  AdminCreateUser: adminCreateUser,
  AdminDeleteUser: adminDeleteUser,
  AdminResetUserPassword: adminResetUserPassword,
  SignUp: signUp,
};

/** Calls that fall through to cognito-local and carry a SecretHash over their Username. */
const SECRET_HASH_TARGETS = new Set(['ResendConfirmationCode', 'ConfirmSignUp']);

/** A Core for one call: cognito-local's context and our state, over the call's own unit. */
function forCall(services: CoreServices, store: Store, ctx: Context = services.ctx) {
  const unit = store.unit();
  const core: Core = { ...services, ctx: { ...ctx, unit }, state: new LocalState(unit) };
  return { core, unit };
}

export function createRouter(
  services: CoreServices,
  local: Services,
  store: Store,
  locks: CallLocks,
): Router {
  // cognito-local's own handlers, loaded at the first call that falls through: start-up does not
  // wait for the module of every target it has.
  let fallback: Router | undefined;
  return (target) => {
    const own = Object.hasOwn(HANDLERS, target) ? HANDLERS[target] : undefined;
    return (ctx, request) =>
      locks.run(
        // Read-only: this unit is never committed.
        () => scopeOf(forCall(services, store).core, target, request ?? {}),
        async () => {
          const { core, unit } = forCall(services, store, ctx);
          let outcome: { answer: object } | { error: unknown };
          try {
            if (own) outcome = { answer: await own(core, request ?? {}) };
            else {
              fallback ??= (await import('cognito-local/lib/server/Router')).Router(local);
              const answer = await fallback(target)(
                core.ctx,
                await prepareFallback(core, target, request ?? {}),
              );
              outcome = { answer: await completeFallback(core, target, request ?? {}, answer) };
            }
          } catch (error) {
            outcome = { error };
          }
          // Refusals write too (a failed password counts towards a lockout): committed either way,
          // and on disk before the answer leaves.
          try {
            core.state.flush();
            await unit.commit();
          } catch (error) {
            console.error(`local Cognito: ${target} could not be stored:`, error);
            throw new InternalError();
          }
          if ('answer' in outcome) return outcome.answer;
          const { error } = outcome;
          if (isCognitoError(error) || error instanceof UnsupportedError) throw error;
          // The cause goes to the console for the developer; the client gets Cognito's generic 500.
          console.error(`local Cognito: ${target} failed:`, error);
          throw new InternalError();
        },
      );
  };
}

/**
 * DescribeUserPoolClient from cognito-local leaves out the settings it does not model; Cognito's
 * UserPoolClientType has them (API reference: UserPoolClientType).
 */
async function completeFallback(
  core: Core,
  target: string,
  request: Record<string, unknown>,
  answer: object,
): Promise<object> {
  if (target !== 'DescribeUserPoolClient' || !('UserPoolClient' in answer)) return answer;
  const client = await appClient(core, request.ClientId);
  return {
    ...answer,
    UserPoolClient: {
      ...(answer.UserPoolClient as object),
      ...(client.AuthSessionValidity ? { AuthSessionValidity: client.AuthSessionValidity } : {}),
      ...(client.RefreshTokenRotation ? { RefreshTokenRotation: client.RefreshTokenRotation } : {}),
    },
  };
}

/**
 * cognito-local decodes access tokens without verifying them, so a token-taking call that falls through
 * (UpdateUserAttributes, VerifyUserAttribute, ...) is checked here first. It also looks user names up
 * case-sensitively while the pool is case-insensitive; admin calls name a user who must exist
 * (UserNotFoundException otherwise, as Cognito answers them).
 */
async function prepareFallback(core: Core, target: string, request: Record<string, unknown>) {
  if ('AccessToken' in request) await authenticate(core, request.AccessToken);
  if (target === 'UpdateUserAttributes' || target === 'DeleteUserAttributes') {
    await assertWritable(core, request);
  }
  // Calls with a SecretHash field (ResendConfirmationCode, ConfirmSignUp) prove the client secret first.
  if (SECRET_HASH_TARGETS.has(target)) {
    assertSecretHash(await appClient(core, request.ClientId), request.Username, request.SecretHash);
  }
  if (typeof request.Username !== 'string') return request;
  const user = await findUser(core, request.Username);
  if (user) return { ...request, Username: user.Username };
  if (target.startsWith('Admin')) throw cognitoError('UserNotFoundException', MESSAGES.userDoesNotExist);
  return request;
}

/**
 * A user's own attribute changes are limited to the app client's WriteAttributes (API-ref
 * UserPoolClientType, WriteAttributes); anything else is refused as Cognito refuses it (NotAuthorized
 * "A client attempted to write unauthorized attribute", aws/aws-sdk-js#1319). cognito-local does not
 * check this itself. A client with no list may write every attribute.
 */
async function assertWritable(core: Core, request: Record<string, unknown>): Promise<void> {
  const claims = await core.signer.verify(request.AccessToken, core.issuer, core.now());
  if (typeof claims !== 'object') return; // authenticate() has refused it already
  const client = await appClient(core, claims.client_id);
  const writable = (client as { WriteAttributes?: string[] }).WriteAttributes;
  if (!writable) return;
  const names = [
    ...((request.UserAttributes as { Name?: unknown }[] | undefined) ?? []).map((a) => a.Name),
    ...((request.UserAttributeNames as unknown[] | undefined) ?? []),
  ];
  if (names.some((name) => typeof name !== 'string' || !writable.includes(name))) {
    throw cognitoError('NotAuthorizedException', MESSAGES.unauthorizedAttribute);
  }
}
