/**
 * Forgotten and changed passwords. The public calls (ForgotPassword, ConfirmForgotPassword,
 * ChangePassword) are authorised by the app client or the caller's token, not by IAM. Nothing here
 * tells a stranger whether an e-mail has an account.
 */
import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from '../runtime/clients';
import { secretHashFor } from './cognito';
import { deliveryTo, type Delivery } from './delivery';
import { awsCall, errorName, fail, mapAwsError } from '../runtime/errors';
import { logger } from '../runtime/logger';
import { withinGuessBound } from './guess-bounds';
import { describePolicy, meetsPolicy } from './password-policy';
import type {
  ChangePasswordInput,
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

/** Changes the caller's password with the caller's access token (Cognito checks the old password). */
export async function changePassword(
  deps: Deps,
  accessToken: string | undefined,
  input: ChangePasswordInput,
): Promise<PasswordChanged> {
  if (!accessToken) throw fail('NOT_AUTHORIZED', MESSAGES.invalidToken);
  const policy = deps.config.passwordPolicy;
  if (!meetsPolicy(input.newPassword, policy)) {
    throw fail('INVALID_PASSWORD', describePolicy(policy), { policy });
  }
  await awsCall({ notAuthorized: MESSAGES.changePasswordRefused, policy }, () =>
    deps.cognito.send(
      new ChangePasswordCommand({
        AccessToken: accessToken,
        PreviousPassword: input.oldPassword,
        ProposedPassword: input.newPassword,
      }),
    ),
  );
  return { status: 'PASSWORD_CHANGED' };
}
