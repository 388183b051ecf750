/**
 * Bounds on the mail one address can be sent, per kind of mail, in the guess-bounds table: a few
 * invitations and a few reset codes an hour, whoever asks and however often. Past the bound the mail
 * is not sent and the answer is exactly the one a sent mail gets, so the bound says nothing about
 * the account either; the log says which it was. This keeps anyone from spending the pool's daily
 * mail quota (50 a day with Cognito's own sender) or flooding one inbox.
 */
import type { Deps } from '../runtime/clients';
import { logger } from '../runtime/logger';
import { keyOf, take, type GuessBound } from './guess-bounds';

export type Mail = 'invitation' | 'passwordReset' | 'verification';

export const MAIL_BOUNDS: Readonly<Record<Mail, GuessBound>> = {
  invitation: { failures: 3, windowSeconds: 60 * 60 },
  passwordReset: { failures: 3, windowSeconds: 60 * 60 },
  verification: { failures: 3, windowSeconds: 60 * 60 },
};

/** Runs `send` unless the address has had its share of this kind of mail in the window. */
export async function withinMailBound(
  deps: Deps,
  mail: Mail,
  email: string,
  send: () => Promise<void>,
): Promise<void> {
  if (!(await take(deps, keyOf(`mail-${mail}`, email), MAIL_BOUNDS[mail]))) {
    logger.info('mail bound reached: nothing sent', { mail });
    return;
  }
  await send();
}
