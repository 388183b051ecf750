/**
 * Lockout after failed passwords, as the developer guide ("Authentication", lockout behavior for
 * failed sign-in attempts) describes it: after five failed sign-ins with a password the user is locked
 * out for 1 s, and each further failure doubles it (2^(n-5) s for n failures) up to about 15 minutes.
 * Attempts during a lockout answer NotAuthorizedException "Password attempts exceeded", the right
 * password too, and do not lengthen it. A successful sign-in, or 15 minutes without any attempt, starts
 * the count again. Temporary passwords count like any other.
 */
import type { User } from 'cognito-local/lib/services/userPoolService';
import type { Core } from './core';
import { cognitoError } from './errors';

const FREE_FAILURES = 5;
/** "About 15 minutes": local choice of exactly 15. */
const MAX_LOCKOUT_MS = 15 * 60_000;
const QUIET_RESET_MS = 15 * 60_000;

export const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded';

/**
 * The user's own counter, whichever alias signed in; an unknown name gets one too (local choice: with
 * PreventUserExistenceErrors a lockout that only existing users reach would tell them apart).
 */
export const throttleKey = (user: User | null, name: string) =>
  user ? user.Username : `unknown:${name.toLowerCase()}`;

/** Records the attempt and throws while a lockout lasts. */
export function assertNotLockedOut(core: Core, key: string): void {
  const throttle = core.state.throttle(key);
  const now = core.now();
  if (throttle.lastAttemptMs !== undefined && now - throttle.lastAttemptMs >= QUIET_RESET_MS) {
    delete throttle.failures;
    delete throttle.lockedUntilMs;
  }
  throttle.lastAttemptMs = now;
  if (throttle.lockedUntilMs !== undefined && now < throttle.lockedUntilMs) {
    throw cognitoError('NotAuthorizedException', PASSWORD_ATTEMPTS_EXCEEDED);
  }
}

export function recordPasswordFailure(core: Core, key: string): void {
  const throttle = core.state.throttle(key);
  const failures = (throttle.failures ?? 0) + 1;
  throttle.failures = failures;
  if (failures >= FREE_FAILURES) {
    throttle.lockedUntilMs = core.now() + Math.min(2 ** (failures - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS);
  }
}

export function recordPasswordSuccess(core: Core, key: string): void {
  const throttle = core.state.throttle(key);
  delete throttle.failures;
  delete throttle.lockedUntilMs;
}
