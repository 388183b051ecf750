/**
 * The messages Cognito would e-mail, rendered from the pool's templates (settings.emails) and handed
 * to the local mailbox. SMS is not reproduced: nothing is sent for it.
 */
import type { CoreServices } from './core';
import { randomInt } from 'node:crypto';

export type CodeDeliveryDetails = { AttributeName: 'email'; DeliveryMedium: 'EMAIL'; Destination: string };

/** Cognito's masking of a destination: first character of the local part and of the domain. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

export function delivery(email: string): CodeDeliveryDetails {
  return { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: maskEmail(email) };
}

/** Six digits, like Cognito's verification and reset codes. */
export const newVerificationCode = () => String(randomInt(1_000_000)).padStart(6, '0');

const render = (template: string, code: string, username = '') =>
  template.replaceAll('{####}', code).replaceAll('{username}', username);

export async function sendInvitation(
  core: CoreServices,
  email: string,
  temporaryPassword: string,
): Promise<void> {
  const { invitationSubject, invitationBody } = core.settings.emails;
  await core.sendMessage({
    to: email,
    subject: invitationSubject,
    text: render(invitationBody, temporaryPassword, email),
    code: temporaryPassword,
    kind: 'invitation',
  });
}

export async function sendCode(
  core: CoreServices,
  email: string,
  code: string,
  kind: 'verification' | 'password-reset',
): Promise<void> {
  const { verificationSubject, verificationBody } = core.settings.emails;
  await core.sendMessage({
    to: email,
    subject: verificationSubject,
    text: render(verificationBody, code),
    code,
    kind,
  });
}
