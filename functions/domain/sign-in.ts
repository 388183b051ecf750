/**
 * Signing in with password then TOTP, refreshing, and signing out. A wrong password and an unknown
 * account get one message.
 *
 * The pool's MFA is OPTIONAL and TOTP is enforced by the API (README, "Recovering a lost
 * authenticator"): Cognito answers a password with a SOFTWARE_TOKEN_MFA challenge for an account whose
 * authenticator is enabled, and with tokens for one that has none. Those tokens never go to the client
 * as they are: they start an enrolment, sealed in its session, and are handed out by confirmMfa once
 * Cognito has verified the user's first code. So every sign-in that yields tokens to a client has
 * passed TOTP.
 */
import {
  GetUserAttributeVerificationCodeCommand,
  GlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { MESSAGES } from '../../schema/messages';
import type {
  AuthTokens,
  LoginInput,
  LoginPayload,
  LogoutPayload,
  RefreshInput,
  VerifyMfaInput,
} from '../../schema/generated/types';
import type { Deps } from '../runtime/clients';
import { awsCall, fail } from '../runtime/errors';
import { waitOutRevocation } from '../runtime/wait';
import { answerTotp, discard, refreshTokens, signInWithPassword, unproven } from './cognito';
import { bindChallenge, openChallenge } from './challenge-session';
import { sealEnrolment } from './enrolment-session';
import { withinGuessBound } from './guess-bounds';
import { withinMailBound } from './mail-bounds';
import { hasCompletedEnrolment } from './recovery-codes';
import { subOf, toAuthTokens } from './tokens';

export async function login(deps: Deps, input: LoginInput): Promise<LoginPayload> {
  const context = { notAuthorized: MESSAGES.loginRefused };
  const signIn = await withinGuessBound(deps, 'password', input.email, () =>
    awsCall(context, () => signInWithPassword(deps, input.email, input.password)),
  );
  if (signIn.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
    return {
      challenge: 'SOFTWARE_TOKEN_MFA',
      session: await bindChallenge(deps, input.email, signIn.Session!),
    };
  }
  if (signIn.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    // The caller knows the temporary password, so saying what to do next reveals nothing.
    throw fail('NOT_AUTHORIZED', MESSAGES.notConfirmedYet);
  }
  const tokens = unproven(signIn);
  if (!tokens) throw new Error(`unexpected sign-in answer: ${signIn.ChallengeName ?? 'no tokens'}`);
  const userId = subOf(tokens.accessToken);
  // An account that completed enrolment and now signs in without a challenge had its authenticator
  // suspended around the API (a direct AssociateSoftwareToken) or is half-way through recovery: only
  // a recovery code may set up a new one, never the password alone.
  if (await hasCompletedEnrolment(deps, userId)) {
    await discard(deps, tokens);
    throw fail('NOT_AUTHORIZED', MESSAGES.authenticatorSuspended);
  }
  // Confirmed but never finished enrolment. The password alone must not start one: whoever knows it
  // would enrol their own authenticator and own the account, and replace the owner's pending secret.
  // A code goes to the account's address; verifyEnrolmentEmail with it starts the enrolment.
  await withinMailBound(deps, 'verification', input.email, () =>
    awsCall(context, async () => {
      await deps.cognito.send(
        new GetUserAttributeVerificationCodeCommand({
          AccessToken: tokens.accessToken,
          AttributeName: 'email',
        }),
      );
    }),
  );
  const { session } = await sealEnrolment(
    deps,
    { sub: userId, email: input.email, ...tokens, replaces: undefined },
    'email-proof',
  );
  return { challenge: 'EMAIL_VERIFICATION', session };
}

export async function verifyMfa(deps: Deps, input: VerifyMfaInput): Promise<AuthTokens> {
  // The session is bound to the e-mail that signed in, so the codes below count against its account.
  const session = await openChallenge(deps, input.email, input.session);
  const result = await withinGuessBound(deps, 'totp', input.email, () =>
    awsCall({ notAuthorized: MESSAGES.loginRefused }, () =>
      answerTotp(deps, input.email, session, input.otp),
    ),
  );
  return toAuthTokens(result);
}

export async function refresh(deps: Deps, input: RefreshInput): Promise<AuthTokens> {
  const result = await awsCall({ notAuthorized: MESSAGES.refreshRefused }, () =>
    refreshTokens(deps, input.refreshToken),
  );
  return toAuthTokens(result, input.refreshToken);
}

/**
 * Global sign-out: every refresh token of the user stops working, and Cognito refuses the access
 * token. GlobalSignOut checks the token itself, so no GetUser first.
 */
export async function logout(deps: Deps, accessToken: string | undefined): Promise<LogoutPayload> {
  if (!accessToken) throw fail('NOT_AUTHORIZED', MESSAGES.invalidToken);
  await awsCall({ notAuthorized: MESSAGES.invalidToken }, () =>
    deps.cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken })),
  );
  // The answer waits the revocation window out, so "log out, then log in" works for scripts too.
  await waitOutRevocation(deps);
  return { signedOut: true };
}
