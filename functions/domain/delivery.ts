/**
 * Where a message went, as the API tells it: computed from the e-mail the caller typed, never from
 * Cognito's answer, so an unknown, invited or confirmed account gets byte-identical payloads.
 */
import type { DeliveryPayload } from '../../schema/generated/types';

/** The payload of every operation that sends a message. */
export type Delivery = DeliveryPayload;

/** Cognito's masking: the first character of the local part and of the domain (u***@e***). */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

export const deliveryTo = (email: string): Delivery => ({ destination: maskEmail(email), medium: 'EMAIL' });
