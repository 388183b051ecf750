/** Creating accounts. Answers never tell whether an e-mail already has an account. */
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Deps } from '../runtime/clients';
import { deliveryTo, type Delivery } from './delivery';
import type { CreateUserInput, CreateUserPayload, ResendInvitationInput } from '../../schema/generated/types';
import { awsCall, errorName } from '../runtime/errors';
import { withinMailBound } from './mail-bounds';
import { MESSAGES } from '../../schema/messages';

/**
 * Cognito creates the user and e-mails a temporary password. For an e-mail that already has an
 * account the answer is the same: a pending invitation is sent again (the person may have lost it),
 * and a confirmed account receives nothing.
 */
export async function createUser(deps: Deps, input: CreateUserInput): Promise<CreateUserPayload> {
  try {
    await deps.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: deps.config.userPoolId,
        Username: input.email,
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: input.email },
          // The invitation reaches this address, and the password reset flow needs it verified.
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: input.fullName },
          ...(input.phoneNumber ? [{ Name: 'phone_number', Value: input.phoneNumber }] : []),
        ],
      }),
    );
  } catch (error) {
    if (errorName(error) !== 'UsernameExistsException') throw error;
    await resendInvitationIfPending(deps, input.email);
  }
  return { email: input.email, status: 'INVITATION_SENT' };
}

/**
 * RESEND works only for accounts still waiting for confirmation; for others it is a silent no-op.
 * Each re-send replaces the temporary password, so it is bounded per address like any mail.
 */
export async function resendInvitationIfPending(deps: Deps, email: string): Promise<void> {
  await withinMailBound(deps, 'invitation', email, () => resend(deps, email));
}

async function resend(deps: Deps, email: string): Promise<void> {
  try {
    await deps.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: deps.config.userPoolId,
        Username: email,
        MessageAction: 'RESEND',
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
  } catch (error) {
    const name = errorName(error);
    if (name !== 'UnsupportedUserStateException' && name !== 'UserNotFoundException') throw error;
  }
}

/**
 * A new temporary password for an invited account that has not been confirmed. The answer is built
 * from the typed e-mail, so an unknown, invited or confirmed account gets byte-identical payloads.
 */
export async function resendInvitation(deps: Deps, input: ResendInvitationInput): Promise<Delivery> {
  await awsCall({ notAuthorized: MESSAGES.invitationNotSent }, () =>
    resendInvitationIfPending(deps, input.email),
  );
  return deliveryTo(input.email);
}
