/**
 * Forgotten and changed passwords. The public calls (ForgotPassword, ConfirmForgotPassword,
 * ChangePassword) are authorised by the app client or the caller's token, not by IAM. Nothing here
 * tells a stranger whether an e-mail has an account.
 */
import {
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from '../runtime/clients';
import type { CallerIdentity } from '../../schema/function-event';
import { waitOutRevocation } from '../runtime/wait';
import { liveCaller } from './caller';
import { answerTotp, secretHashFor, signInWithPassword } from './cognito';
import { toAuthTokens } from './tokens';
import { deliveryTo, type Delivery } from './delivery';
import { ApiFailure, awsCall, errorName, fail, mapAwsError } from '../runtime/errors';
import { logger } from '../runtime/logger';
import { withinGuessBound } from './guess-bounds';
import { withinMailBound } from './mail-bounds';
import { describePolicy, meetsPolicy } from './password-policy';
import type {
  ChangePasswordInput,
  ChangePasswordPayload,
  ConfirmForgotPasswordInput,
  ForgotPasswordInput,
  PasswordPayload,
} from '../../schema/generated/types';
import { MESSAGES } from '../../schema/messages';

type PasswordChanged = PasswordPayload;

/**
 * ForgotPassword answers that would differ for an account that exists: an unknown user (when
 * PreventUserExistenceErrors is off), one that cannot reset in its state (invited, disabled), one with
 * no verified e-mail. Each gets the answer an unknown e-mail gets.
 */
const SILENT_FORGOT_PASSWORD = new Set([
  'UserNotFoundException',
  'NotAuthorizedException',
  'InvalidParameterException',
  // Cognito's per-account limit on reset codes: an unknown e-mail never reaches it, so saying so
  // would tell that the account exists. The mail is not sent; the answer is the same.
  'LimitExceededException',
]);

/**
 * Cognito e-mails a reset code. The answer is built from the typed e-mail, not from Cognito's
 * CodeDeliveryDetails: Cognito's simulated delivery for unknown users need not mask the same way as a
 * real one, and one byte of difference would be an oracle.
 */
export async function forgotPassword(deps: Deps, input: ForgotPasswordInput): Promise<Delivery> {
  await withinMailBound(deps, 'passwordReset', input.email, async () => {
    try {
      await deps.cognito.send(
        new ForgotPasswordCommand({
          ClientId: deps.config.userPoolClientId,
          Username: input.email,
          SecretHash: (await secretHashFor(deps, input.email)).SECRET_HASH,
        }),
      );
    } catch (error) {
      const name = errorName(error);
      if (!SILENT_FORGOT_PASSWORD.has(name)) {
        throw mapAwsError(error, { notAuthorized: MESSAGES.resetCodeRefused }) ?? error;
      }
      logger.info('no reset code sent', { cause: name });
    }
  });
  return deliveryTo(input.email);
}

/**
 * Sets the new password with the e-mailed code. The policy is checked first: it depends on nothing
 * but the password, so it reveals nothing and spares a Cognito call. Cognito answers an unknown user
 * with CodeMismatch but an existing one with no pending code with ExpiredCode, and only an existing
 * account reaches its attempt limit (LimitExceeded): all of them, and UserNotFound and NotAuthorized
 * (prevention off, disabled or invited accounts), get one answer, so every account looks alike.
 */
const CODE_REFUSALS = new Set([
  'CodeMismatchException',
  'ExpiredCodeException',
  'LimitExceededException',
  'UserNotFoundException',
  'NotAuthorizedException',
]);

export async function confirmForgotPassword(
  deps: Deps,
  input: ConfirmForgotPasswordInput,
): Promise<PasswordChanged> {
  const policy = deps.config.passwordPolicy;
  if (!meetsPolicy(input.newPassword, policy)) {
    throw fail('INVALID_PASSWORD', describePolicy(policy), { policy });
  }
  await withinGuessBound(deps, 'resetCode', input.email, () => resetWithCode(deps, input));
  // Whoever signed in with the old password (a thief, say) is signed out with it.
  await signOutEverywhere(deps, input.email);
  return { status: 'PASSWORD_CHANGED' };
}

async function resetWithCode(deps: Deps, input: ConfirmForgotPasswordInput): Promise<void> {
  const policy = deps.config.passwordPolicy;
  try {
    await deps.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: deps.config.userPoolClientId,
        Username: input.email,
        SecretHash: (await secretHashFor(deps, input.email)).SECRET_HASH,
        ConfirmationCode: input.code,
        Password: input.newPassword,
      }),
    );
  } catch (error) {
    if (CODE_REFUSALS.has(errorName(error))) throw fail('CODE_MISMATCH', MESSAGES.resetCodeRefused);
    throw mapAwsError(error, { notAuthorized: MESSAGES.resetCodeRefused, policy }) ?? error;
  }
}

/**
 * Changes the caller's password, then ends every session of the account (AdminUserGlobalSignOut:
 * whoever else holds a token, a thief who knew the old password included), and signs the caller in
 * again with the new password and the authenticator code, so the answer carries the only tokens left.
 * Cognito checks the token and the old password; nothing changes if either is wrong.
 */
export async function changePassword(
  deps: Deps,
  identity: CallerIdentity | null,
  accessToken: string | undefined,
  input: ChangePasswordInput,
): Promise<ChangePasswordPayload> {
  const policy = deps.config.passwordPolicy;
  if (!meetsPolicy(input.newPassword, policy)) {
    throw fail('INVALID_PASSWORD', describePolicy(policy), { policy });
  }
  const caller = await liveCaller(deps, identity, accessToken);
  const email = caller.user.UserAttributes?.find((a) => a.Name === 'email')?.Value;
  if (!email) throw new Error('the caller has no e-mail attribute');
  // The old password is a guess like any other: the password bound counts it.
  await withinGuessBound(deps, 'password', email, () =>
    awsCall({ notAuthorized: MESSAGES.changePasswordRefused, policy }, () =>
      deps.cognito.send(
        new ChangePasswordCommand({
          AccessToken: caller.accessToken,
          PreviousPassword: input.oldPassword,
          ProposedPassword: input.newPassword,
        }),
      ),
    ),
  );
  await signOutEverywhere(deps, caller.username);
  const tokens = await withinGuessBound(deps, 'totp', email, async () => {
    const context = { notAuthorized: MESSAGES.passwordChangedSignInAgain };
    const signIn = await awsCall(context, () => signInWithPassword(deps, email, input.newPassword));
    if (signIn.ChallengeName !== 'SOFTWARE_TOKEN_MFA' || !signIn.Session) {
      throw fail('NOT_AUTHORIZED', MESSAGES.passwordChangedSignInAgain);
    }
    const session = signIn.Session;
    try {
      return await awsCall(context, () => answerTotp(deps, email, session, input.otp));
    } catch (error) {
      // The change and the sign-out stand; say so rather than a bare "wrong code".
      if (error instanceof ApiFailure && error.type === 'CODE_MISMATCH') {
        throw fail('CODE_MISMATCH', MESSAGES.passwordChangedSignInAgain);
      }
      throw error;
    }
  });
  return { status: 'PASSWORD_CHANGED', tokens: toAuthTokens(tokens) };
}

/**
 * Ends every session of the account: its refresh tokens stop working and Cognito refuses its access
 * tokens in every token-bound call (every Cognito field of this API makes one). Waits out the
 * revocation window, so a sign-in right after is not caught by it.
 */
export async function signOutEverywhere(deps: Deps, username: string): Promise<void> {
  await awsCall({ notAuthorized: MESSAGES.invalidToken }, () =>
    deps.cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: deps.config.userPoolId, Username: username }),
    ),
  );
  await waitOutRevocation(deps);
}
