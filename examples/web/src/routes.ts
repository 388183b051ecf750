/** Where a person can be in the app, and what each place needs to know. */
import type { SetupFragment } from '../generated/graphql';

export type Route =
  | { to: 'start'; notice?: string }
  | { to: 'register' }
  | { to: 'choosePassword'; email: string; since: number }
  | { to: 'enrol'; email: string; setup: SetupFragment; again?: boolean }
  | { to: 'recoveryCodes'; codes: string[] }
  | { to: 'signIn'; email?: string; notice?: string }
  | { to: 'code'; email: string; session: string }
  | { to: 'verifyEmail'; email: string; session: string; since: number }
  | { to: 'profile'; notice?: string }
  | { to: 'changePassword' }
  | { to: 'deleteAccount' }
  | { to: 'forgotPassword' }
  | { to: 'resetPassword'; email: string; since: number }
  | { to: 'recover' };

export type Go = (route: Route) => void;

/** A little before now: the mailbox's clock and the page's are the same machine's, give or take. */
export const mailSince = (): number => Date.now() - 2_000;
